"""The quality page of a dataset, for its department: rules (attach, propose, delete), the
latest results, a run on demand, and the failing rows of a rule as CSV."""
from __future__ import annotations

import csv
import io
from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response

from ckanext.govdata.messages import error_messages

quality = Blueprint("govdata_quality", __name__)


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name if tk.current_user.is_authenticated else ""}


def _package(package_id: str) -> dict[str, Any]:
    try:
        return tk.get_action("package_show")(_context(), {"id": package_id})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404)


@quality.route("/dataset/<package_id>/quality", methods=["GET", "POST"])
def page(package_id: str) -> Any:
    package = _package(package_id)
    try:
        tk.check_access("govdata_quality_rule_list", _context(), {"package_id": package["id"]})
    except tk.NotAuthorized:
        return tk.abort(403)
    if tk.request.method == "POST":
        _post(package)
        return tk.redirect_to("govdata_quality.page", package_id=package["name"])
    rules = tk.get_action("govdata_quality_rule_list")(_context(), {"package_id": package["id"]})
    result = tk.get_action("govdata_quality_result_show")(_context(), {"package_id": package["id"]})
    return tk.render("quality/page.html", {
        "pkg_dict": package,
        "rules": rules,
        "proposals": tk.get_action("govdata_quality_rules_propose")(_context(), {"package_id": package["id"]}),
        "result": result,
        "findings": {found["rule_id"]: found for found in result["results"]},
    })


def _post(package: dict[str, Any]) -> None:
    form = tk.request.form
    operation = form.get("operation")
    try:
        if operation == "check":
            tk.get_action("govdata_quality_check")(_context(), {"package_id": package["id"]})
            tk.h.flash_success(tk._("Quality check queued"))
        elif operation == "delete":
            tk.get_action("govdata_quality_rule_delete")(_context(), {"id": form.get("id")})
        elif operation in ("create", "propose"):
            fields = {key: form.get(key) for key in ("resource_id", "kind", "dimension", "type", "format", "pattern",
                                                     "target_resource_id", "target_column") if form.get(key)}
            fields["columns"] = form.get("columns", "")
            fields["codes"] = form.get("codes", "")
            tk.get_action("govdata_quality_rule_create")(_context(), {"package_id": package["id"], **fields})
            tk.h.flash_success(tk._("Rule added"))
    except tk.ValidationError as error:
        for message in error_messages(error):
            tk.h.flash_error(message)
    except (tk.NotAuthorized, tk.ObjectNotFound):
        tk.abort(403)


@quality.route("/dataset/<package_id>/quality/<rule_id>/failing.csv")
def failing_rows(package_id: str, rule_id: str) -> Any:
    """The rows failing a rule, as CSV (UTF-8 with BOM, for Excel): the department's only."""
    try:
        found = tk.get_action("govdata_quality_failing_rows")(_context(), {"rule_id": rule_id})
    except tk.NotAuthorized:
        return tk.abort(403)
    except (tk.ObjectNotFound, tk.ValidationError):
        return tk.abort(404)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(found["columns"])
    writer.writerows(found["rows"])
    return Response(
        "\ufeff" + buffer.getvalue(), mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="quality-{rule_id}.csv"'},
    )
