"""The open directory's page for staff (/directory): template, export and import."""
from __future__ import annotations

import base64
import io
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, request, send_file

from ckanext.govdata import vocabularies
from ckanext.govdata.curation import exporting
from ckanext.govdata.curation.layout import Lookups
from ckanext.govdata.validators import rules

curation = Blueprint("govdata_curation", __name__)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


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
    return tk.render("curation/directory.html", {
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
        report = tk.get_action("govdata_catalogue_import")(_context(), {"upload": upload, "partial": partial})
    except tk.ValidationError as error:
        for messages in error.error_dict.values():
            for message in messages if isinstance(messages, list) else [messages]:
                tk.h.flash_error(str(message))
        return _page(partial=partial)
    return _page(report, partial)


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
