"""Pages of data subjects: 我的数据 (proving who you are, the rows about you, who may use them,
flagging a wrong row, who read them) and the staff's audit trail with its export. Thin: they
call the ``govdata_*`` actions."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, request

from ckanext.govdata import spreadsheets
from ckanext.govdata.messages import error_messages
from ckanext.govdata.subjects.logic.audit import BASIS_LABELS, CHANNEL_LABELS
from ckanext.govdata.view_steps import action as _action
from ckanext.govdata.view_steps import login_required as _login_required

subjects = Blueprint("govdata_subjects", __name__)

AUDIT_FILTERS = ("package_id", "organization_id", "user", "subject", "channel", "basis", "date_from", "date_to")


def _flash_errors(error: tk.ValidationError) -> None:
    for message in error_messages(error):
        tk.h.flash_error(message)


@subjects.route("/my-data")
@_login_required
def mine() -> Any:
    """我的数据: the subjects proved, their rows, the grants they issued and their audit trail."""
    proved = _action("govdata_subject_list")
    page: dict[str, Any] = {"subjects": proved, "tables": [], "grants": [], "trail": {"count": 0, "results": []}}
    if proved:
        page["tables"] = _action("govdata_subject_rows")
        page["grants"] = _action("govdata_subject_grant_list", include_inactive=True)
        page["trail"] = _action("govdata_subject_audit_list", limit=100)
    page["channel_labels"], page["basis_labels"] = CHANNEL_LABELS, BASIS_LABELS
    return tk.render("govdata_subjects/mine.html", page)


@subjects.route("/my-data/verify", methods=["GET", "POST"])
@_login_required
def verify() -> Any:
    """Prove who you are: the document, then the identity provider's step."""
    data: dict[str, Any] = {"document_type": request.values.get("document_type", "resident_id")}
    errors: dict[str, Any] = {}
    challenge = None
    if request.method == "POST":
        data = {field: request.form.get(field, "").strip() for field in ("document_type", "number", "agent_name")}
        try:
            challenge = _action("govdata_subject_verify_start", **{k: v for k, v in data.items() if v})
        except tk.ValidationError as error:
            errors = error.error_dict
        data.pop("number", None)
    return tk.render("govdata_subjects/verify.html", {"data": data, "errors": errors, "challenge": challenge})


@subjects.route("/my-data/verify/confirm", methods=["POST"])
@_login_required
def verify_confirm() -> Any:
    challenge_id = request.form.get("challenge_id", "")
    try:
        subject = _action("govdata_subject_verify_confirm", challenge_id=challenge_id,
                          answer=request.form.get("answer", "").strip())
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the user who started this verification may complete it"))
    except tk.ValidationError as error:
        challenge = {"challenge_id": challenge_id, "masked": request.form.get("masked", ""),
                     "instructions": request.form.get("instructions", "")}
        return tk.render("govdata_subjects/verify.html",
                         {"data": {}, "errors": error.error_dict, "challenge": challenge})
    tk.h.flash_success(tk._("Verified: {subject}").format(subject=subject["masked"]))
    return tk.redirect_to("govdata_subjects.mine")


def _grantee_shown(grant: dict[str, Any]) -> str:
    return grant["app"]["name"] if grant.get("app") else grant["user_name"]


@subjects.route("/my-data/grant", methods=["POST"])
@_login_required
def grant_create() -> Any:
    fields = ("subject_id", "package_id", "grantee", "purpose", "starts_on", "expires_on")
    data = {field: request.form.get(field, "").strip() for field in fields}
    try:
        granted = _action("govdata_subject_grant_create", **{k: v for k, v in data.items() if v})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the verified data subject may do this"))
    except tk.ValidationError as error:
        _flash_errors(error)
    else:
        tk.h.flash_success(tk._("Authorised {user}").format(user=_grantee_shown(granted)))
    return tk.redirect_to("govdata_subjects.mine", _anchor="grants")


@subjects.route("/my-data/grant/<grant_id>/revoke", methods=["POST"])
@_login_required
def grant_revoke(grant_id: str) -> Any:
    try:
        _action("govdata_subject_grant_revoke", id=grant_id, reason=request.form.get("reason", "").strip() or None)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the verified data subject may do this"))
    except tk.ValidationError as error:
        _flash_errors(error)
    else:
        tk.h.flash_success(tk._("The authorisation was revoked"))
    return tk.redirect_to("govdata_subjects.mine", _anchor="grants")


@subjects.route("/my-data/flag", methods=["POST"])
@_login_required
def flag() -> Any:
    fields = ("subject_id", "resource_id", "row", "description")
    data = {field: request.form.get(field, "").strip() for field in fields}
    try:
        correction = _action("govdata_subject_row_flag", **{k: v for k, v in data.items() if v})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the verified data subject may do this"))
    except tk.ValidationError as error:
        _flash_errors(error)
        return tk.redirect_to("govdata_subjects.mine")
    tk.h.flash_success(tk._("Thank you: your error report was sent to the department"))
    return tk.redirect_to("govdata_feedback.correction_read", correction_id=correction["id"])


def _audit_filters() -> dict[str, str]:
    """The filters of the form, which posts them: a document number never goes into a URL."""
    return {name: request.values[name].strip() for name in AUDIT_FILTERS if request.values.get(name, "").strip()}


@subjects.route("/audit", methods=["GET", "POST"])
@_login_required
def audit() -> Any:
    """The audit trail of the caller's departments' data (the bureau: all), with filters."""
    filters = _audit_filters()
    try:
        listed = _action("govdata_audit_list", limit=200, **filters)
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only a department's staff and the data bureau may see the audit trail"))
    except tk.ValidationError as error:
        _flash_errors(error)
        listed = {"count": 0, "results": []}
    return tk.render("govdata_subjects/audit.html",
                     {"listed": listed, "filters": filters, "channel_labels": CHANNEL_LABELS,
                      "basis_labels": BASIS_LABELS})


@subjects.route("/audit/export", methods=["GET", "POST"])
@_login_required
def audit_export() -> Any:
    try:
        exported = _action("govdata_audit_export", format=request.values.get("format", "xlsx"), **_audit_filters())
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only a department's staff and the data bureau may see the audit trail"))
    except tk.ValidationError as error:
        return tk.abort(400, "; ".join(error_messages(error)))
    return spreadsheets.download(exported)
