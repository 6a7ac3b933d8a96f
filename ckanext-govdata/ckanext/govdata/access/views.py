"""Pages of conditional opening, and the guard in front of CKAN's file and dump downloads
(which also watermarks a grantee's downloads of sensitive data, access.watermark).

The pages are thin: they call the ``govdata_access_*`` actions and render their results.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.common import current_user
from flask import Blueprint, Response, g, request, send_file

from ckanext.govdata import open_condition, spreadsheets
from ckanext.govdata.access import attachments as attachment_store
from ckanext.govdata.access import watermark, workflow
from ckanext.govdata.messages import error_messages
from ckanext.govdata.open_condition import Viewer
from ckanext.govdata.validators import grades
from ckanext.govdata.view_steps import action as _action
from ckanext.govdata.view_steps import login_required as _login_required

access = Blueprint("govdata_access", __name__)

REQUEST_FORM_FIELDS = (
    "applicant_type", "applicant_name", "credit_code", "contact_phone", "contact_email", "purpose", "scenario",
    "period_start", "period_end", "commitments", "subject_id", "subject_document_type", "subject_consent",
)
LIST_FILTERS = ("state", "organization_id", "overdue", "date_from", "date_to")


def _guarded_resource_id() -> tuple[str | None, str]:
    """The resource a download, dump or old-version page asks for, and the channel it uses."""
    endpoint = request.endpoint or ""
    view_args = request.view_args or {}
    if endpoint == "datastore.dump":
        return view_args.get("resource_id"), "dump"
    # dataset_resource.download, dataservice_resource.download … one blueprint per dataset type.
    if endpoint.endswith("resource.download"):
        return view_args.get("resource_id"), "download"
    # CKAN renders an old version of a resource straight from the activity's stored dict,
    # unredacted: only those who may use the data see it.
    if endpoint == "activity.resource_history":
        return view_args.get("resource_id"), "history"
    return None, ""


@access.before_app_request
def guard_downloads() -> Any:
    """403 before CKAN serves a file, a datastore dump or an old resource the user may not have.

    CKAN's own download view then runs unchanged for those who may, so the
    ``resource_download`` signal (the download counter) still fires.
    """
    resource_id, channel = _guarded_resource_id()
    if channel == "dump":
        # A dump may name a datastore alias of the table.
        from ckanext.govdata.access.logic.enforcement import real_resource_id

        resource_id = real_resource_id(resource_id)
    if not resource_id:
        return None
    viewer = Viewer.current()
    # A dump goes through datastore_search, which keeps a data-subject grantee to their rows.
    resource, decision = open_condition.resource_access(viewer, resource_id, rows=channel == "dump")
    if resource is None and channel == "history":
        package = model.Package.get((request.view_args or {}).get("id") or "")
        decision = open_condition.data_access(viewer, package) if package is not None else open_condition.DENIED
    elif resource is None:
        return None
    if not decision.allowed:
        return tk.abort(403, tk._("The data of this dataset is available only to holders of an approved request"))
    if resource is not None and channel in ("download", "dump"):
        refused = _plan_watermark(viewer, decision, resource, channel)
        if refused is not None:
            return refused
    if channel == "download" and resource is not None:
        open_condition.log_access(viewer, decision, resource.package_id, resource.id, "download", resource.size, "bytes")
    return None


def _plan_watermark(viewer: Viewer, decision: open_condition.Access, resource: model.Resource, channel: str) -> Any:
    """A grantee's download of sensitive data is marked (access.watermark) or, when it cannot be, refused."""
    if decision.basis != "grant" or decision.grant is None or viewer.user is None:
        return None
    if not grades.watermarked(open_condition.security_grade(resource.package)):
        return None
    file_format: str | None
    if channel == "dump":
        asked = (request.args.get("format") or "csv").lower()
        file_format = asked if asked in watermark.TEXT_FORMATS else None
    else:
        file_format = watermark.file_format(resource.url, resource.format)
    if file_format is None:
        return tk.abort(403, tk._("Data of this security grade is downloaded only as CSV, TSV or xlsx, which carry "
                                  "your watermark; use the data API for other formats"))
    if request.headers.get("Range"):
        return tk.abort(416, tk._("Data of this security grade is downloaded whole, with your watermark"))
    g.govdata_watermark = (file_format, watermark.mark(viewer.user.name, decision.grant.id))
    return None


@access.after_app_request
def apply_watermark(response: Response) -> Response:
    """Rewrite the download ``guard_downloads`` planned a watermark for; anything but the file itself is refused."""
    planned = g.pop("govdata_watermark", None)
    if planned is None or response.status_code == 304:
        return response
    if response.status_code != 200:
        # A redirect to the stored file (a cloud storage's signed address) would skip the mark.
        return Response(tk._("Data of this security grade is downloaded whole, with your watermark"), status=403)
    file_format, text = planned
    response.direct_passthrough = False
    if file_format == watermark.XLSX:
        response.set_data(watermark.marked_xlsx(response.get_data(), text))
        return response
    response.response = watermark.marked_text(response.iter_encoded(), text, watermark.TEXT_FORMATS[file_format])
    response.headers.pop("Content-Length", None)
    response.headers.pop("ETag", None)
    return response


def _form_data(package_id: str) -> dict[str, Any]:
    data: dict[str, Any] = {field: request.form.get(field, "").strip() for field in REQUEST_FORM_FIELDS}
    data.update(
        package_id=package_id,
        resource_ids=request.form.getlist("resource_ids"),
        fields_needed=request.form.getlist("fields_needed"),
        agreement_accepted="agreement_accepted" in request.form,
        attachments=[item for item in request.files.getlist("attachments") if item.filename],
        submit=True,
    )
    return {key: value for key, value in data.items() if value not in ("", None)}


def _render_form(package: dict[str, Any], data: dict[str, Any], errors: dict[str, Any],
                 access_request: dict[str, Any] | None = None) -> str:
    return tk.render(
        "govdata_access/apply.html",
        {"pkg": package, "data": data, "errors": errors, "access_request": access_request},
    )


@access.route("/dataset/<package_id>/apply", methods=["GET", "POST"])
@_login_required
def apply(package_id: str) -> Any:
    """The application form (申请表) of a conditional dataset."""
    try:
        package = _action("package_show", id=package_id)
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Dataset not found"))
    if not open_condition.may_apply(package):
        tk.h.flash_error(tk._("Only conditional datasets take requests"))
        return tk.redirect_to(f"{package['type']}.read", id=package["name"])
    if request.method == "GET":
        return _render_form(package, {"applicant_name": current_user.fullname or ""}, {})
    data = _form_data(package["id"])
    try:
        created = _action("govdata_access_request_create", **data)
    except tk.ValidationError as error:
        return _render_form(package, data, error.error_dict)
    tk.h.flash_success(tk._("Your request was submitted; you can follow it here"))
    return tk.redirect_to("govdata_access.request_read", request_id=created["id"])


@access.route("/access/request/<request_id>/edit", methods=["GET", "POST"])
@_login_required
def edit(request_id: str) -> Any:
    """Change a draft or a request returned for more information, and submit it again."""
    try:
        shown = _action("govdata_access_request_show", id=request_id)
        package = _action("package_show", id=shown["package_id"])
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Request not found"))
    if request.method == "GET":
        return _render_form(package, shown, {}, shown)
    data = _form_data(package["id"])
    try:
        _action("govdata_access_request_update", id=request_id, **data)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the applicant may do this"))
    except tk.ValidationError as error:
        return _render_form(package, dict(shown, **data), error.error_dict, shown)
    tk.h.flash_success(tk._("Your request was submitted again"))
    return tk.redirect_to("govdata_access.request_read", request_id=request_id)


@access.route("/access/requests")
@_login_required
def my_requests() -> Any:
    """My requests (我的申请) and my grants."""
    return tk.render(
        "govdata_access/my_requests.html",
        {
            "requests": _action("govdata_access_request_list", scope="mine", limit=200)["results"],
            "grants": _action("govdata_access_grant_list", scope="mine", include_inactive=True),
            "notices": _action("govdata_access_notice_list"),
        },
    )


def _filters() -> dict[str, Any]:
    return {key: request.args[key] for key in LIST_FILTERS if request.args.get(key)}


@access.route("/access/review", methods=["GET", "POST"])
@_login_required
def review_queue() -> Any:
    """The staff's queue (审核队列), with bulk actions on the selected requests."""
    viewer = Viewer.current()
    if not (viewer.sysadmin or viewer.staff_orgs()):
        return tk.abort(403, tk._("Only reviewers may see the review queue"))
    if request.method == "POST":
        _bulk(request.form.getlist("request_ids"), request.form.get("operation", ""), request.form.get("reason", ""))
        return tk.redirect_to("govdata_access.review_queue", **_filters())
    filters = _filters()
    filters.setdefault("state", "submitted,department_review")
    try:
        listed = _action("govdata_access_request_list", scope="review", limit=200, **filters)
    except tk.ValidationError as error:
        tk.h.flash_error("; ".join(error_messages(error)))
        listed = {"count": 0, "results": []}
    return tk.render(
        "govdata_access/review_queue.html",
        {"listed": listed, "filters": filters, "notices": _action("govdata_access_notice_list"),
         "sysadmin": viewer.sysadmin, "bulk_choices": workflow.bulk_choices(viewer)},
    )


def _bulk(request_ids: list[str], bulk: str, reason: str) -> None:
    """Apply one choice to each selected request, as the operation its state allows (the workflow
    table decides); report how many succeeded and why others not."""
    if bulk not in workflow.BULK_OPERATIONS or not request_ids:
        tk.h.flash_error(tk._("Select requests and an action"))
        return
    done, failures = 0, []
    for request_id in request_ids:
        try:
            operation = workflow.bulk_operation(bulk, _action("govdata_access_request_show", id=request_id)["state"])
            _action(operation.action, id=request_id, reason=reason, **operation.params)
            done += 1
        except (tk.ValidationError, tk.NotAuthorized, tk.ObjectNotFound) as error:
            message = error.error_dict if isinstance(error, tk.ValidationError) else str(error)
            failures.append(f"{request_id[:8]}: {message}")
    if done:
        tk.h.flash_success(tk._("{count} requests updated").format(count=done))
    for failure in failures:
        tk.h.flash_error(failure)


@access.route("/access/request/<request_id>")
@_login_required
def request_read(request_id: str) -> Any:
    """A request with its history and what the viewer may do next."""
    try:
        shown = _action("govdata_access_request_show", id=request_id)
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Request not found"))
    viewer = Viewer.current()
    if any(notice["request_id"] == request_id for notice in _action("govdata_access_notice_list")):
        _action("govdata_access_notice_read", id=request_id)
    return tk.render(
        "govdata_access/request_read.html",
        {
            "access_request": shown,
            "is_applicant": workflow.holds_role(workflow.APPLICANT, shown, viewer),
        },
    )


# The operations of the request page's forms (changing and submitting happen on the edit page).
PAGE_OPERATIONS = tuple(name for name in workflow.OPERATIONS if name not in ("update", "submit"))


@access.route("/access/request/<request_id>/act", methods=["POST"])
@_login_required
def request_act(request_id: str) -> Any:
    """One operation on a request from its page: withdraw, check, decide or revoke."""
    name = request.form.get("operation", "")
    reason = request.form.get("reason", "").strip()
    try:
        if name == workflow.REVOKE:
            _action("govdata_access_grant_revoke", id=request.form.get("grant_id", ""), reason=reason)
        elif name in PAGE_OPERATIONS:
            operation = workflow.OPERATIONS[name]
            data = {"reason": reason}
            if operation.name == "approve" and request.form.get("expires_on"):
                data["expires_on"] = request.form["expires_on"]
            _action(operation.action, id=request_id, **operation.params, **data)
        else:
            return tk.abort(400, tk._("Unknown operation"))
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Request not found"))
    except tk.ValidationError as error:
        for message in error_messages(error):
            tk.h.flash_error(message)
        return tk.redirect_to("govdata_access.request_read", request_id=request_id)
    tk.h.flash_success(tk._("Done"))
    return tk.redirect_to("govdata_access.request_read", request_id=request_id)


@access.route("/access/request/<request_id>/attachment/<attachment_id>")
@_login_required
def attachment(request_id: str, attachment_id: str) -> Any:
    """An attachment, to those who may see the request."""
    try:
        shown = _action("govdata_access_request_show", id=request_id)
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Request not found"))
    found = next((item for item in shown["attachments"] if item["id"] == attachment_id), None)
    if found is None:
        return tk.abort(404, tk._("Attachment not found"))
    return send_file(
        attachment_store.open(request_id, found) or tk.abort(404, tk._("Attachment not found")),
        mimetype=found["mimetype"], as_attachment=True,
        download_name=found["name"],
    )


@access.route("/access/ledger")
@_login_required
def ledger() -> Any:
    """The ledger (台账): every request reviewed here, with filters and export."""
    filters = _filters()
    try:
        listed = _action("govdata_access_request_list", scope="review", limit=500, **filters)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only reviewers may export the ledger"))
    except tk.ValidationError as error:
        tk.h.flash_error("; ".join(error_messages(error)))
        listed = {"count": 0, "results": []}
    viewer = Viewer.current()
    if not (viewer.sysadmin or viewer.staff_orgs()):
        return tk.abort(403, tk._("Only reviewers may export the ledger"))
    # Grants made without a request (a contest's teams): current ones, to see and revoke here.
    issued = [grant for grant in _action("govdata_access_grant_list", scope="review") if not grant["request_id"]]
    return tk.render("govdata_access/ledger.html", {"listed": listed, "filters": filters, "issued": issued})


@access.route("/access/grant/<grant_id>/revoke", methods=["POST"])
@_login_required
def grant_revoke(grant_id: str) -> Any:
    """Revoke a grant made without a request (its department's staff, from the ledger page)."""
    try:
        _action("govdata_access_grant_revoke", id=grant_id, reason=request.form.get("reason", "").strip())
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Grant not found"))
    except tk.ValidationError as error:
        for message in error_messages(error):
            tk.h.flash_error(message)
    else:
        tk.h.flash_success(tk._("Grant revoked"))
    return tk.redirect_to("govdata_access.ledger")


@access.route("/access/ledger/export")
@_login_required
def ledger_export() -> Any:
    try:
        exported = _action(
            "govdata_access_ledger_export", format=request.args.get("format", "xlsx"), **_filters()
        )
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only reviewers may export the ledger"))
    except tk.ValidationError as error:
        return tk.abort(400, str(error.error_dict))
    return spreadsheets.download(exported)


@access.route("/access/calendar", methods=["GET", "POST"])
@_login_required
def calendar() -> Any:
    """The working-day calendar: the year's source, the overrides, a day to set, a file to import."""
    if not Viewer.current().sysadmin:
        return tk.abort(403, tk._("Only the data bureau's staff may change the working-day calendar"))
    year = request.values.get("year") or None
    if request.method == "POST":
        operation = request.form.get("operation")
        try:
            if operation == "set":
                _action("govdata_workday_override_set", day=request.form.get("day", ""),
                        is_workday=request.form.get("is_workday", ""), note=request.form.get("note", ""))
            elif operation == "delete":
                _action("govdata_workday_override_delete", day=request.form.get("day", ""))
            elif operation == "import":
                imported = _action("govdata_workday_schedule_import", upload=request.files.get("upload"))
                tk.h.flash_success(tk._("{count} days imported").format(count=imported["imported"]))
            else:
                return tk.abort(400, tk._("Unknown operation"))
        except tk.ValidationError as error:
            for message in error_messages(error):
                tk.h.flash_error(message)
        return tk.redirect_to("govdata_access.calendar", year=year) if year else tk.redirect_to(
            "govdata_access.calendar"
        )
    try:
        shown = _action("govdata_workday_calendar_show", **({"year": year} if year else {}))
    except tk.ValidationError as error:
        return tk.abort(400, str(error.error_dict))
    return tk.render("govdata_access/calendar.html", {"calendar": shown})
