"""Auth functions of the demand actions; everything not explicitly allowed is refused.

Every public function here is the auth function of the action of its name.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.govdata.demands import workflow
from ckanext.govdata.demands.model import Demand
from ckanext.govdata.messages import bilingual
from ckanext.govdata.open_condition import Viewer

ROLE_REFUSALS = {
    workflow.REQUESTER: "Only the requester may do this",
    workflow.BUREAU: "Only the data bureau's staff may route demands",
    workflow.DEPARTMENT: "Only the department the demand was routed to may do this",
}


def _refuse(message: str) -> AuthResult:
    return {"success": False, "msg": message}


def _demand(data_dict: DataDict) -> Any:
    demand_id = (data_dict or {}).get("id")
    return model.Session.get(Demand, demand_id) if isinstance(demand_id, str) else None


def _signed_in(context: Context) -> AuthResult:
    if Viewer.from_context(context).user is None:
        return _refuse(bilingual("Sign in to use data demands"))
    return {"success": True}


def _holds_role_for(action: str, context: Context, data_dict: DataDict) -> AuthResult:
    """The role the workflow table gives the operations of ``action``, for this demand."""
    role = workflow.role_of(action)
    demand = _demand(data_dict)
    if demand is not None and workflow.holds_role(role, demand, Viewer.from_context(context)):
        return {"success": True}
    return _refuse(bilingual(ROLE_REFUSALS[role]))


def govdata_demand_create(context: Context, data_dict: DataDict) -> AuthResult:
    """Any registered user may submit a demand."""
    return _signed_in(context)


@tk.auth_allow_anonymous_access
def govdata_demand_list(context: Context, data_dict: DataDict) -> AuthResult:
    """The public list is for everyone; the action confines ``mine`` and ``queue`` to the caller."""
    if (data_dict or {}).get("scope") in ("mine", "queue"):
        return _signed_in(context)
    return {"success": True}


@tk.auth_allow_anonymous_access
def govdata_demand_show(context: Context, data_dict: DataDict) -> AuthResult:
    """A routed demand is public (without the requester's details); before that, and once
    dismissed or withdrawn, only the requester, the bureau and the department see it."""
    demand = _demand(data_dict)
    if demand is None:
        return _refuse(bilingual("Demand not found"))
    if demand.state in workflow.PUBLIC_STATES:
        return {"success": True}
    viewer = Viewer.from_context(context)
    if any(workflow.holds_role(role, demand, viewer)
           for role in (workflow.REQUESTER, workflow.BUREAU, workflow.DEPARTMENT)):
        return {"success": True}
    return _refuse(bilingual("You may not see this demand"))


def govdata_demand_route(context: Context, data_dict: DataDict) -> AuthResult:
    return _holds_role_for("govdata_demand_route", context, data_dict)


def govdata_demand_confirm(context: Context, data_dict: DataDict) -> AuthResult:
    return _holds_role_for("govdata_demand_confirm", context, data_dict)


def govdata_demand_provide(context: Context, data_dict: DataDict) -> AuthResult:
    return _holds_role_for("govdata_demand_provide", context, data_dict)


def govdata_demand_withdraw(context: Context, data_dict: DataDict) -> AuthResult:
    return _holds_role_for("govdata_demand_withdraw", context, data_dict)


def govdata_demand_support(context: Context, data_dict: DataDict) -> AuthResult:
    """Any signed-in user but the requester, while the department works on the demand."""
    signed_in = _signed_in(context)
    if not signed_in["success"]:
        return signed_in
    demand = _demand(data_dict)
    if demand is None:
        return _refuse(bilingual("Demand not found"))
    viewer = Viewer.from_context(context)
    if workflow.holds_role(workflow.REQUESTER, demand, viewer):
        return _refuse(bilingual("You cannot support your own demand"))
    return {"success": True}


def govdata_demand_notice_list(context: Context, data_dict: DataDict) -> AuthResult:
    return _signed_in(context)


def govdata_demand_notice_read(context: Context, data_dict: DataDict) -> AuthResult:
    """Each user marks only their own notices; the action filters on the caller."""
    return _signed_in(context)


def govdata_demand_ledger_export(context: Context, data_dict: DataDict) -> AuthResult:
    """Bureau staff (every demand) and departments' staff (their own demands)."""
    viewer = Viewer.from_context(context)
    if viewer.sysadmin or viewer.staff_orgs():
        return {"success": True}
    return _refuse(bilingual("Only the bureau's and the departments' staff may export the ledger"))


def govdata_demand_reminders_send(context: Context, data_dict: DataDict) -> AuthResult:
    """Bureau staff and the scheduled job (as the site user)."""
    if Viewer.from_context(context).sysadmin:
        return {"success": True}
    return _refuse(bilingual("Only the data bureau's staff may send reminders"))


def govdata_demand_figures(context: Context, data_dict: DataDict) -> AuthResult:
    """Bureau staff; the monitoring page decides itself what it shows to whom."""
    if Viewer.from_context(context).sysadmin:
        return {"success": True}
    return _refuse(bilingual("Only the data bureau's staff may see these figures"))
