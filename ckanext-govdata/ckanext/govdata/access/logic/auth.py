"""Auth functions of the access actions; everything not explicitly allowed is refused.

Every public function here is the auth function of the action of its name.
"""
from __future__ import annotations

from typing import Any

from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.govdata.access import workflow
from ckanext.govdata.access.model import AccessRequest
from ckanext.govdata.grants import AccessGrant
from ckanext.govdata.messages import bilingual
from ckanext.govdata.open_condition import Viewer


def _refuse(message: str) -> AuthResult:
    return {"success": False, "msg": message}


def _request(data_dict: DataDict) -> Any:
    return model.Session.get(AccessRequest, (data_dict or {}).get("id") or "")


def _signed_in(context: Context) -> AuthResult:
    if Viewer.from_context(context).user is None:
        return _refuse(bilingual("Sign in to use data requests"))
    return {"success": True}


def govdata_access_request_create(context: Context, data_dict: DataDict) -> AuthResult:
    """Any registered user may apply."""
    return _signed_in(context)


def govdata_access_request_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Signed-in users; the action itself confines each to their own or their departments' requests."""
    return _signed_in(context)


def govdata_access_notice_list(context: Context, data_dict: DataDict) -> AuthResult:
    return _signed_in(context)


def govdata_access_notice_read(context: Context, data_dict: DataDict) -> AuthResult:
    """Each user marks only their own notices; the action filters on the caller."""
    return _signed_in(context)


def govdata_access_grant_list(context: Context, data_dict: DataDict) -> AuthResult:
    return _signed_in(context)


ROLE_REFUSALS = {
    workflow.APPLICANT: "Only the applicant may do this",
    workflow.BUREAU: "Only the data bureau's staff may check requests",
    workflow.DEPARTMENT: "Only the department that holds the data may decide this request",
}


def _holds_role_for(action: str, context: Context, data_dict: DataDict) -> AuthResult:
    """The role the workflow table gives the operations of ``action``, for this request."""
    role = workflow.role_of(action)
    request = _request(data_dict)
    if request is not None and workflow.holds_role(role, request, Viewer.from_context(context)):
        return {"success": True}
    return _refuse(bilingual(ROLE_REFUSALS[role]))


def _is_reviewer(viewer: Viewer, organization_id: str | None) -> bool:
    return viewer.sysadmin or viewer.staff_of(organization_id)


def govdata_access_request_show(context: Context, data_dict: DataDict) -> AuthResult:
    """The applicant, the department that holds the data, and bureau staff."""
    request = _request(data_dict)
    viewer = Viewer.from_context(context)
    if request is not None and (
        (viewer.user is not None and request.user_id == viewer.user.id) or _is_reviewer(viewer, request.organization_id)
    ):
        return {"success": True}
    return _refuse(bilingual("Not authorised to see this request"))


def govdata_access_request_counts(context: Context, data_dict: DataDict) -> AuthResult:
    """Sysadmins for every department; a department's members for their own."""
    viewer = Viewer.from_context(context)
    organization_id = (data_dict or {}).get("organization_id")
    if viewer.sysadmin or (organization_id and viewer.user is not None and _member_of(viewer.user.id, organization_id)):
        return {"success": True}
    return _refuse(bilingual("Only the department's members may count its requests"))


def govdata_access_request_decision_times(context: Context, data_dict: DataDict) -> AuthResult:
    """Bureau staff (sysadmins) only: it covers every department."""
    if Viewer.from_context(context).sysadmin:
        return {"success": True}
    return _refuse(bilingual("Only the department's members may count its requests"))


def _member_of(user_id: str, organization_id: str) -> bool:
    """Any capacity: members see their department's figures on the monitoring page."""
    return (
        model.Session.query(model.Member.id)
        .filter(model.Member.group_id == organization_id, model.Member.table_name == "user")
        .filter(model.Member.table_id == user_id, model.Member.state == "active")
        .first()
    ) is not None


def govdata_access_request_update(context: Context, data_dict: DataDict) -> AuthResult:
    return _holds_role_for("govdata_access_request_update", context, data_dict)


def govdata_access_request_submit(context: Context, data_dict: DataDict) -> AuthResult:
    return _holds_role_for("govdata_access_request_submit", context, data_dict)


def govdata_access_request_withdraw(context: Context, data_dict: DataDict) -> AuthResult:
    return _holds_role_for("govdata_access_request_withdraw", context, data_dict)


def govdata_access_request_review(context: Context, data_dict: DataDict) -> AuthResult:
    """The platform check is the bureau's (sysadmins)."""
    return _holds_role_for("govdata_access_request_review", context, data_dict)


def govdata_access_request_decide(context: Context, data_dict: DataDict) -> AuthResult:
    """Editors and admins of the department that holds the data (and sysadmins)."""
    return _holds_role_for("govdata_access_request_decide", context, data_dict)


def govdata_access_grant_revoke(context: Context, data_dict: DataDict) -> AuthResult:
    grant = model.Session.get(AccessGrant, (data_dict or {}).get("id") or "")
    package = model.Package.get(grant.package_id) if grant is not None else None
    if package is not None and _is_reviewer(Viewer.from_context(context), package.owner_org):
        return {"success": True}
    return _refuse(bilingual("Only the department that holds the data may revoke this grant"))


def govdata_access_ledger_export(context: Context, data_dict: DataDict) -> AuthResult:
    """Bureau staff, and departments for their own requests."""
    viewer = Viewer.from_context(context)
    if viewer.sysadmin or viewer.staff_orgs():
        return {"success": True}
    return _refuse(bilingual("Only reviewers may export the ledger"))


def govdata_access_reminders_send(context: Context, data_dict: DataDict) -> AuthResult:
    """Run by cron through the CLI, as the site user."""
    if Viewer.from_context(context).sysadmin:
        return {"success": True}
    return _refuse(bilingual("Only sysadmins may send reminders"))
