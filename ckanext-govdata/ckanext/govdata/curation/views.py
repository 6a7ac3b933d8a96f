"""The open directory's pages for staff: template, export and import (/directory), the review
queue (/directory/review) and the review steps of an entry's page."""
from __future__ import annotations

import base64
import io
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, jsonify, request, send_file

from ckanext.govdata import vocabularies
from ckanext.govdata.curation import exporting
from ckanext.govdata.curation.layout import Lookups
from ckanext.govdata.messages import error_messages
from ckanext.govdata.validators import rules

curation = Blueprint("govdata_curation", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _flash(error: tk.ValidationError) -> None:
    for message in error_messages(error):
        tk.h.flash_error(message)


def _staff_only() -> Any:
    """None for staff who may import; otherwise the response to give instead."""
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=request.path)
    try:
        tk.check_access("govdata_catalogue_import", _context(), {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only department editors and the data bureau's staff may curate the directory"))
    return None


def _page(report: dict[str, Any] | None = None, partial: bool = False) -> Any:
    departments = tk.get_action("organization_list")(_context(), {"all_fields": True, "limit": 1000})
    try:
        overdue = len(tk.get_action("govdata_overdue_list")(_context(), {})["entries"])
    except tk.NotAuthorized:
        overdue = 0
    return tk.render("curation/directory.html", {
        "overdue": overdue,
        "report": report,
        "partial": partial,
        "departments": sorted(departments, key=lambda department: department["title"]),
        "domains": vocabularies.labels("domains"),
    })


@curation.route("/directory", methods=["GET", "POST"])
def directory() -> Any:
    refused = _staff_only()
    if refused is not None:
        return refused
    if request.method == "GET":
        return _page()
    partial = request.form.get("partial") == "true"
    upload = request.files.get("upload")
    try:
        report = tk.get_action("govdata_catalogue_import")(_context(), {
            "upload": upload, "partial": partial, "confirm_duplicates": request.form.get("confirm_duplicates") == "true",
            "background": True,
        })
    except tk.ValidationError as error:
        _flash(error)
        return _page(partial=partial)
    if "job" in report:
        return tk.redirect_to("govdata_curation.import_status", job=report["job"])
    return _page(report, partial)


def _job_status(job: str) -> Any:
    """A background import's status; otherwise the response to give instead."""
    if not tk.current_user.is_authenticated:
        return None, tk.redirect_to("user.login", came_from=request.path)
    try:
        return tk.get_action("govdata_catalogue_import_status")(_context(), {"job": job}), None
    except tk.NotAuthorized as refused:
        return None, tk.abort(403, str(refused))
    except (tk.ObjectNotFound, tk.ValidationError):
        return None, tk.abort(404, tk._("This import is unknown or no longer kept: import the file again"))


@curation.route("/directory/import/<job>")
def import_status(job: str) -> Any:
    """A background import: its progress while it runs (the page reloads itself), its report
    when it ends."""
    status, refused = _job_status(job)
    if refused is not None:
        return refused
    return tk.render("curation/import_status.html", {"job": status, "report": status["report"]})


@curation.route("/directory/import/<job>/status")
def import_status_json(job: str) -> Any:
    """What the status page polls: state, phase, done and total."""
    status, refused = _job_status(job)
    if refused is not None:
        return refused
    return jsonify({key: status[key] for key in ("id", "state", "phase", "done", "total", "error")})


@curation.route("/directory/template.xlsx")
def template() -> Any:
    refused = _staff_only()
    if refused is not None:
        return refused
    content = exporting.xlsx([], Lookups.load())
    return send_file(io.BytesIO(content), mimetype=XLSX, as_attachment=True, download_name="开放目录模板.xlsx")


@curation.route("/directory/export")
def export() -> Any:
    """The directory as the user sees it (the public: what is public), whole or in part."""
    department = request.args.get("department") or None
    domain = request.args.get("domain") or None
    file_format = request.args.get("format", "xlsx")
    sheet = request.args.get("sheet", "entries")
    if file_format not in ("xlsx", "csv") or sheet not in ("entries", "items"):
        return tk.abort(400, tk._("Unknown export format"))
    if (department and not rules.URL_NAME_PATTERN.match(department)) or (
        domain and domain not in vocabularies.values("domains")
    ):
        return tk.abort(400, tk._("Unknown department or domain"))
    lookups = Lookups.load()
    packages = exporting.packages(_context(), department=department, domain=domain)
    if file_format == "csv":
        content = exporting.csv_text(packages, lookups, sheet).encode("utf-8")
        return send_file(io.BytesIO(content), mimetype="text/csv", as_attachment=True,
                         download_name="开放目录.csv" if sheet == "entries" else "开放目录数据项.csv")
    return send_file(io.BytesIO(exporting.xlsx(packages, lookups)), mimetype=XLSX, as_attachment=True,
                     download_name="开放目录.xlsx")


@curation.route("/directory/returned/<token>")
def returned(token: str) -> Any:
    refused = _staff_only()
    if refused is not None:
        return refused
    try:
        found = tk.get_action("govdata_catalogue_returned_show")(_context(), {"token": token})
    except (tk.ObjectNotFound, tk.ValidationError):
        return tk.abort(404, tk._("These rows are no longer kept: import the file again"))
    return send_file(io.BytesIO(base64.b64decode(found["content"])), mimetype=XLSX, as_attachment=True,
                     download_name="开放目录-待修改.xlsx")


@curation.route("/dataset/<id>/review", methods=["POST"])
def review_step(id: str) -> Any:
    """One review step from the entry's page: submit, publish, return or withdraw."""
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=request.path)
    operation = request.form.get("operation", "")
    comment = request.form.get("comment", "")
    try:
        if operation == "submit":
            done = tk.get_action("govdata_review_submit")(_context(), {"id": id, "comment": comment})
        elif operation in ("publish", "return", "unpublish"):
            done = tk.get_action("govdata_review_decide")(_context(), {"id": id, "decision": operation, "comment": comment})
        else:
            return tk.abort(400, tk._("Unknown operation"))
    except tk.NotAuthorized as refused:
        return tk.abort(403, str(refused))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.ValidationError as error:
        _flash(error)
        return tk.redirect_to(request.referrer or tk.h.url_for("dataset.read", id=id))
    tk.h.flash_success(tk._("Review state: {state}").format(state=tk.h.govdata_review_state_label(done["review_state"])))
    package = tk.get_action("package_show")(_context(), {"id": done["id"]})
    return tk.redirect_to(tk.h.url_for(f"{package['type']}.read", id=package["name"]))


@curation.route("/directory/review")
def review_queue() -> Any:
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=request.path)
    review_state = request.args.get("review_state", "submitted")
    try:
        queue = tk.get_action("govdata_review_list")(_context(), {"review_state": review_state})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only department editors and the data bureau's staff may curate the directory"))
    except tk.ValidationError:
        return tk.abort(400, tk._("Unknown review state"))
    return tk.render("curation/review_queue.html", {"queue": queue, "review_state": review_state})


@curation.route("/directory/reports")
def reports() -> Any:
    """Staff's checks of the directory: entries without data, likely duplicates, overdue updates,
    data items that disagree with their tables, entries opened further than their grade allows."""
    refused = _staff_only()
    if refused is not None:
        return refused
    department = request.args.get("department") or None
    data = {"id": department} if department else {}
    try:
        found = {
            "without_data": tk.get_action("govdata_catalogue_without_data")(_context(), dict(data)),
            "duplicates": tk.get_action("govdata_catalogue_duplicates")(_context(), dict(data)),
            "overdue": tk.get_action("govdata_overdue_list")(_context(), dict(data)),
            "mismatches": tk.get_action("govdata_catalogue_item_mismatches")(_context(), dict(data)),
            "grade_violations": tk.get_action("govdata_catalogue_grade_violations")(_context(), dict(data)),
        }
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only department editors and the data bureau's staff may curate the directory"))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Unknown department or domain"))
    return tk.render("curation/reports.html", found)


@curation.route("/dataset/<id>/data-items", methods=["POST"])
def data_items_apply(id: str) -> Any:
    """Take the dataset's data items from its tables (then edit the Chinese names in the form)."""
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=request.path)
    try:
        done = tk.get_action("govdata_data_items_apply")(_context(), {"id": id})
    except tk.NotAuthorized as refused:
        return tk.abort(403, str(refused))
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Dataset not found"))
    except tk.ValidationError as error:
        _flash(error)
        return tk.redirect_to(tk.h.url_for("dataset.read", id=id))
    tk.h.flash_success(tk._("{count} data items taken from the table: check their Chinese names and descriptions").format(
        count=len(done["data_items"])))
    return tk.redirect_to(tk.h.url_for("dataset.edit", id=done["id"]))
