"""Auth functions of the feedback actions; everything not explicitly allowed is refused.

Every public function here is the auth function of the action of its name.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.govdata.feedback import workflow
from ckanext.govdata.feedback.model import Correction, Rectification
from ckanext.govdata.messages import bilingual
from ckanext.govdata.open_condition import Viewer

ROLE_REFUSALS = {
    workflow.REPORTER: "Only the reporter may do this",
    workflow.DEPARTMENT: "Only the department that holds the data may do this",
}


def _refuse(message: str) -> AuthResult:
    return {"success": False, "msg": message}


def _signed_in(context: Context) -> AuthResult:
    if Viewer.from_context(context).user is None:
        return _refuse(bilingual("Sign in to report errors and rate data"))
    return {"success": True}


def _item(table: type[Correction] | type[Rectification], data_dict: DataDict) -> Any:
    item_id = (data_dict or {}).get("id")
    return model.Session.get(table, item_id) if isinstance(item_id, str) else None


def _holds_role_for(operations: Any, table: type[Correction] | type[Rectification], action: str,
                    context: Context, data_dict: DataDict) -> AuthResult:
    """The role the workflow table gives the operations of ``action``, for this item."""
    role = workflow.role_of(operations, action)
    item = _item(table, data_dict)
    if item is not None and workflow.holds_role(role, item, Viewer.from_context(context)):
        return {"success": True}
    return _refuse(bilingual(ROLE_REFUSALS[role]))


def _staff(context: Context) -> AuthResult:
    viewer = Viewer.from_context(context)
    if viewer.sysadmin or viewer.staff_orgs():
        return {"success": True}
    return _refuse(bilingual("Only a department's staff and the data bureau may see these figures"))


def govdata_correction_create(context: Context, data_dict: DataDict) -> AuthResult:
    """Any registered user may report an error."""
    return _signed_in(context)


def govdata_correction_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Signed-in users; the action confines each to their own or their departments' reports."""
    return _signed_in(context)


def govdata_correction_show(context: Context, data_dict: DataDict) -> AuthResult:
    """The reporter, the department that holds the data, and the bureau."""
    correction = _item(Correction, data_dict)
    viewer = Viewer.from_context(context)
    if correction is not None and (
        workflow.holds_role(workflow.REPORTER, correction, viewer)
        or workflow.holds_role(workflow.DEPARTMENT, correction, viewer)
    ):
        return {"success": True}
    return _refuse(bilingual("Only the reporter and the department may see this report"))


def govdata_correction_decide(context: Context, data_dict: DataDict) -> AuthResult:
    return _holds_role_for(workflow.CORRECTIONS, Correction, "govdata_correction_decide", context, data_dict)


def govdata_correction_withdraw(context: Context, data_dict: DataDict) -> AuthResult:
    return _holds_role_for(workflow.CORRECTIONS, Correction, "govdata_correction_withdraw", context, data_dict)


def govdata_correction_stats(context: Context, data_dict: DataDict) -> AuthResult:
    """The bureau, and departments' staff (the action gives them their own departments)."""
    return _staff(context)


def govdata_rating_create(context: Context, data_dict: DataDict) -> AuthResult:
    """Any registered user may rate published data."""
    return _signed_in(context)


@tk.auth_allow_anonymous_access
def govdata_rating_summary(context: Context, data_dict: DataDict) -> AuthResult:
    """The counts of a published dataset are public (the action refuses unpublished ones)."""
    return {"success": True, "msg": None}


def govdata_rectification_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Signed-in users; the action confines each to their own bad ratings or their departments'."""
    return _signed_in(context)


def govdata_rectification_rectify(context: Context, data_dict: DataDict) -> AuthResult:
    return _holds_role_for(workflow.RECTIFICATIONS, Rectification, "govdata_rectification_rectify", context, data_dict)


def govdata_rectification_stats(context: Context, data_dict: DataDict) -> AuthResult:
    return _staff(context)


def govdata_feedback_notice_list(context: Context, data_dict: DataDict) -> AuthResult:
    return _signed_in(context)


def govdata_feedback_notice_read(context: Context, data_dict: DataDict) -> AuthResult:
    """Each user marks only their own notices; the action filters on the caller."""
    return _signed_in(context)
