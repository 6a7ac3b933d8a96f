"""Pages of feedback: the report form and the rating control of a dataset, a report's page, the
reporter's own list and the departments' queue. Thin: they call the ``govdata_*`` actions."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, request, send_file

from ckanext.govdata.feedback import attachments
from ckanext.govdata.messages import error_messages
from ckanext.govdata.view_steps import action as _action
from ckanext.govdata.view_steps import context as _context
from ckanext.govdata.view_steps import login_required as _login_required

feedback = Blueprint("govdata_feedback", __name__)


def _published(package_id: str) -> dict[str, Any] | None:
    """The published dataset or API interface, as the caller sees it; None for anything else."""
    try:
        package = _action("package_show", id=package_id)
    except (tk.ObjectNotFound, tk.NotAuthorized, tk.ValidationError):
        return None
    if package.get("private") or package.get("type") not in ("dataset", "dataservice"):
        return None
    return package


@feedback.route("/feedback/<package_id>/report", methods=["GET", "POST"])
@_login_required
def report(package_id: str) -> Any:
    """The error report form (纠错) of a published dataset or API interface."""
    package = _published(package_id)
    if package is None:
        return tk.abort(404, tk._("Dataset not found"))
    data: dict[str, Any] = {"resource_id": request.args.get("resource_id", "")}
    errors: dict[str, Any] = {}
    if request.method == "POST":
        data = {field: request.form.get(field, "").strip() for field in ("resource_id", "location", "description")}
        upload = request.files.get("attachment")
        try:
            created = _action(
                "govdata_correction_create", package_id=package["id"],
                attachment=upload if upload is not None and upload.filename else None,
                **{key: value for key, value in data.items() if value},
            )
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("Thank you: your error report was sent to the department"))
            return tk.redirect_to("govdata_feedback.correction_read", correction_id=created["id"])
    return tk.render("govdata_feedback/report.html", {"pkg": package, "data": data, "errors": errors})


@feedback.route("/feedback/<package_id>/rate", methods=["POST"])
@_login_required
def rate(package_id: str) -> Any:
    """The rating control of a dataset page (好差评)."""
    package = _published(package_id)
    if package is None:
        return tk.abort(404, tk._("Dataset not found"))
    try:
        _action("govdata_rating_create", package_id=package["id"], value=request.form.get("value", ""),
                reason=request.form.get("reason", "").strip() or None)
    except tk.ValidationError as error:
        for message in error_messages(error):
            tk.h.flash_error(message)
    else:
        tk.h.flash_success(tk._("Thank you for your rating"))
    return tk.redirect_to(f"{package['type']}.read", id=package["name"])


def _correction(correction_id: str) -> dict[str, Any]:
    try:
        return _action("govdata_correction_show", id=correction_id)
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Report not found"))


@feedback.route("/feedback/correction/<correction_id>")
@_login_required
def correction_read(correction_id: str) -> Any:
    correction = _correction(correction_id)
    _action("govdata_feedback_notice_read", correction_id=correction["id"])
    return tk.render("govdata_feedback/correction_read.html", {"correction": correction})


@feedback.route("/feedback/correction/<correction_id>/act", methods=["POST"])
@_login_required
def correction_act(correction_id: str) -> Any:
    """A button of the report page or the queue: fix, reject or withdraw."""
    operation = request.form.get("operation", "")
    try:
        if operation in ("fix", "reject"):
            _action(
                "govdata_correction_decide", id=correction_id, decision=operation,
                note=request.form.get("note", "").strip() or None,
                fixed_resource_id=request.form.get("fixed_resource_id", "").strip() or None,
                fixed_activity_id=request.form.get("fixed_activity_id", "").strip() or None,
            )
        elif operation == "withdraw":
            _action("govdata_correction_withdraw", id=correction_id)
        else:
            return tk.abort(400, tk._("Unknown operation"))
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Report not found"))
    except tk.ValidationError as error:
        for message in error_messages(error):
            tk.h.flash_error(message)
    else:
        tk.h.flash_success(tk._("Saved; the reporter has been told"))
    if request.form.get("next_page") == "queue":
        return tk.redirect_to("govdata_feedback.queue")
    return tk.redirect_to("govdata_feedback.correction_read", correction_id=correction_id)


@feedback.route("/feedback/correction/<correction_id>/attachment")
@_login_required
def correction_attachment(correction_id: str) -> Any:
    """The report's attachment, for those who may see the report."""
    correction = _correction(correction_id)
    found = correction.get("attachment")
    if not found:
        return tk.abort(404, tk._("Attachment not found"))
    stored = dict(found, extension=found["name"].rsplit(".", 1)[-1].lower())
    content = attachments.open(correction_id, stored)
    if content is None:
        return tk.abort(404, tk._("Attachment not found"))
    return send_file(content, mimetype=found["mimetype"], as_attachment=True, download_name=found["name"])


@feedback.route("/dashboard/feedback")
@_login_required
def mine() -> Any:
    """The signed-in user's error reports and bad ratings, with their notices."""
    return tk.render("govdata_feedback/mine.html", {
        "corrections": _action("govdata_correction_list", scope="mine")["results"],
        "rectifications": _action("govdata_rectification_list", scope="mine")["results"],
        "notices": _action("govdata_feedback_notice_list"),
    })


@feedback.route("/dashboard/feedback/read", methods=["POST"])
@_login_required
def notices_read() -> Any:
    """Marks every notice of the signed-in user read."""
    _action("govdata_feedback_notice_read")
    if request.form.get("next_page") == "queue":
        return tk.redirect_to("govdata_feedback.queue")
    return tk.redirect_to("govdata_feedback.mine")


@feedback.route("/feedback/queue")
@_login_required
def queue() -> Any:
    """The departments' queue: open reports and rectification items first, with their buttons."""
    try:
        tk.check_access("govdata_correction_stats", _context(), {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only a department's staff and the data bureau may see the queue"))
    state = request.args.get("state", "open")
    pending = state == "open"
    return tk.render("govdata_feedback/queue.html", {
        "state": state,
        "notices": _action("govdata_feedback_notice_list"),
        "corrections": _action("govdata_correction_list", scope="review", limit=200,
                               **({"state": "submitted"} if pending else {}))["results"],
        "rectifications": _action("govdata_rectification_list", scope="review", limit=200,
                                  **({"state": "open"} if pending else {}))["results"],
    })


@feedback.route("/feedback/rectification/<rectification_id>/rectify", methods=["POST"])
@_login_required
def rectify(rectification_id: str) -> Any:
    try:
        _action("govdata_rectification_rectify", id=rectification_id, note=request.form.get("note", "").strip() or None)
    except tk.NotAuthorized as error:
        return tk.abort(403, str(error))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Item not found"))
    except tk.ValidationError as error:
        for message in error_messages(error):
            tk.h.flash_error(message)
    else:
        tk.h.flash_success(tk._("Rectification recorded; the rater has been told"))
    return tk.redirect_to("govdata_feedback.queue")
