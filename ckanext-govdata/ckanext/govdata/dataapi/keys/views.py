"""我的应用 (My applications): register an application, see its key, rotate its secret (shown
once, on the page that issued it), revoke it, change its scope; its usage, exported as CSV or
xlsx. A department's usage of its own APIs: ``/api-usage/<organization>``."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, request

from ckanext.govdata import spreadsheets, view_steps
from ckanext.govdata.dataapi.keys.logic.usage import COLUMNS

devkeys = Blueprint("govdata_devkeys", __name__)


def _errors(error: tk.ValidationError) -> list[str]:
    return [message for messages in (error.error_dict or {}).values()
            for message in (messages if isinstance(messages, list) else [messages])]


@devkeys.route("/user/apps", methods=["GET", "POST"])
@view_steps.login_required
def mine() -> Any:
    issued, errors, form = None, [], {}
    if request.method == "POST":
        form = request.form.to_dict()
        operation = form.pop("operation", "create")
        try:
            if operation == "create":
                # The form has a field "name": the action gets the form as its data dict.
                fields = {k: v for k, v in form.items() if k != "_csrf_token"}
                issued = tk.get_action("govdata_app_create")(view_steps.context(), fields)
            elif operation == "rotate":
                issued = view_steps.action("govdata_app_rotate", id=form.get("id", ""))
            elif operation == "revoke":
                view_steps.action("govdata_app_revoke", id=form.get("id", ""))
            elif operation == "scope":
                view_steps.action("govdata_app_update", id=form.get("id", ""), scope=form.get("scope", ""))
        except tk.ValidationError as error:
            errors = _errors(error)
        except (tk.ObjectNotFound, tk.NotAuthorized):
            return tk.abort(404)
    apps = view_steps.action("govdata_app_list")
    usage = view_steps.action("govdata_app_usage")
    return tk.render("govdata_devkeys/mine.html", {"apps": apps, "issued": issued, "errors": errors,
                                                   "form": form, "usage": usage, "columns": COLUMNS})


def _export(rows: list[dict[str, Any]], kind: str, name: str) -> Response:
    cells = ([row[column] for column in COLUMNS] for row in rows)
    content = (spreadsheets.xlsx(spreadsheets.Sheet(tk._("API calls"), COLUMNS, cells)) if kind == "xlsx"
               else spreadsheets.csv_file(COLUMNS, cells))
    return spreadsheets.download(spreadsheets.exported(name, kind, content, len(rows)))


def _dates() -> dict[str, str]:
    return {key: request.args[key] for key in ("date_from", "date_to") if request.args.get(key)}


@devkeys.route("/user/apps/usage.<kind>")
@view_steps.login_required
def mine_export(kind: str) -> Any:
    if kind not in ("csv", "xlsx"):
        return tk.abort(404)
    try:
        rows = view_steps.action("govdata_app_usage", **_dates())
    except tk.ValidationError:
        return tk.abort(400)
    return _export(rows, kind, "api-usage")


@devkeys.route("/api-usage/<organization_id>")
@devkeys.route("/api-usage/<organization_id>.<kind>")
@view_steps.login_required
def department(organization_id: str, kind: str = "") -> Any:
    try:
        rows = view_steps.action("govdata_api_usage", organization_id=organization_id, **_dates())
    except tk.NotAuthorized:
        return tk.abort(403)
    except tk.ValidationError:
        return tk.abort(400)
    if kind:
        return _export(rows, kind, f"api-usage-{organization_id[:50]}") if kind in ("csv", "xlsx") else tk.abort(404)
    return tk.render("govdata_devkeys/department.html", {"usage": rows, "columns": COLUMNS, "organization_id": organization_id})
