"""The data-demand workflow (数据需求): its states, and one table of who may do what in which state.

A registered user submits a demand; the bureau's staff route it to a department (or dismiss it);
the department confirms it (accept, decline with a reason, or point to the dataset already open)
and provides the data. Actions move a demand only through ``transition``; auth functions ask
``holds_role``; views and templates ask ``allowed_operations``.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ckanext.govdata import workflows
from ckanext.govdata.open_condition import Viewer
from ckanext.govdata.workflows import Operation

SUBMITTED = "submitted"
ROUTED = "routed"
ACCEPTED = "accepted"
PROVIDED = "provided"
ALREADY_OPEN = "already_open"
DECLINED = "declined"
DISMISSED = "dismissed"
WITHDRAWN = "withdrawn"
STATES = (SUBMITTED, ROUTED, ACCEPTED, PROVIDED, ALREADY_OPEN, DECLINED, DISMISSED, WITHDRAWN)
# Waiting for the department: the confirmation deadline runs in ROUTED, the provision deadline in ACCEPTED.
PENDING_STATES = (ROUTED, ACCEPTED)
OPEN_STATES = (SUBMITTED, ROUTED, ACCEPTED)
CONFIRMED_STATES = (ACCEPTED, PROVIDED, ALREADY_OPEN, DECLINED)
# Shown on the public list once the bureau has routed them; never what was dismissed or withdrawn.
PUBLIC_STATES = (ROUTED, ACCEPTED, PROVIDED, ALREADY_OPEN, DECLINED)
# Others may add their support while the department still has work to do.
SUPPORTABLE_STATES = PENDING_STATES

# Who acts: the requester, the data bureau's staff (sysadmins), the department routed to.
REQUESTER = "requester"
BUREAU = "bureau"
DEPARTMENT = "department"
# Adding support is not a move of the demand: any signed-in user but the requester, once.
SUPPORT = "support"

NOT_ROUTING = "This demand is not waiting to be routed"
NOT_CONFIRMING = "This demand is not waiting for the department's confirmation"

OPERATIONS = workflows.table(
    Operation("route", BUREAU, {SUBMITTED: ROUTED, ROUTED: ROUTED}, "govdata_demand_route", {"outcome": "route"},
              refusal="Only a demand not yet confirmed can be routed"),
    Operation("dismiss", BUREAU, {SUBMITTED: DISMISSED}, "govdata_demand_route", {"outcome": "dismiss"},
              refusal=NOT_ROUTING),
    Operation("accept", DEPARTMENT, {ROUTED: ACCEPTED}, "govdata_demand_confirm", {"decision": "accept"},
              refusal=NOT_CONFIRMING, settled=(ACCEPTED,)),
    Operation("already_open", DEPARTMENT, {ROUTED: ALREADY_OPEN}, "govdata_demand_confirm",
              {"decision": "already_open"}, refusal=NOT_CONFIRMING),
    Operation("decline", DEPARTMENT, {ROUTED: DECLINED}, "govdata_demand_confirm", {"decision": "decline"},
              refusal=NOT_CONFIRMING),
    Operation("provide", DEPARTMENT, {ACCEPTED: PROVIDED}, "govdata_demand_provide",
              refusal="Only an accepted demand can be provided"),
    Operation("withdraw", REQUESTER, {SUBMITTED: WITHDRAWN, ROUTED: WITHDRAWN}, "govdata_demand_withdraw",
              refusal="A confirmed demand cannot be withdrawn", settled=(WITHDRAWN,)),
)


def operation_for(action: str, params: Mapping[str, Any]) -> Operation:
    """The operation an action call performs (``decision=decline`` of ``govdata_demand_confirm`` …)."""
    return workflows.operation_for(OPERATIONS, action, params)


def _field(demand: Any, name: str) -> Any:
    return demand.get(name) if isinstance(demand, Mapping) else getattr(demand, name)


def holds_role(role: str, demand: Any, viewer: Viewer) -> bool:
    """Is ``viewer`` the requester, bureau staff or the department for ``demand`` (a row or dict)?"""
    if role == REQUESTER:
        return viewer.user_id is not None and viewer.user_id == _field(demand, "user_id")
    if role == BUREAU:
        return viewer.sysadmin
    organization_id = _field(demand, "organization_id")
    return viewer.sysadmin or (organization_id is not None and viewer.staff_of(organization_id))


def may_support(demand: Any, viewer: Viewer) -> bool:
    """Any signed-in user but the requester, while the department still works on the demand."""
    return (
        viewer.user_id is not None
        and _field(demand, "state") in SUPPORTABLE_STATES
        and not holds_role(REQUESTER, demand, viewer)
    )


def transition(demand: Any, name: str) -> str | None:
    """The state ``name`` moves ``demand`` to; None when it is settled there already.

    A state that allows no move is a ValidationError naming ``state``.
    """
    return workflows.move(OPERATIONS[name], demand.state)


def allowed_operations(demand: Mapping[str, Any], viewer: Viewer) -> list[str]:
    """What ``viewer`` may do with ``demand`` (a demand dict) now, in the table's order."""
    allowed = workflows.allowed(OPERATIONS.values(), demand["state"], lambda role: holds_role(role, demand, viewer))
    if may_support(demand, viewer) and not demand.get("supported"):
        allowed.append(SUPPORT)
    return allowed


def role_of(action: str) -> str:
    """Who performs the operations of ``action`` (each action's operations share one role)."""
    return next(operation.role for operation in OPERATIONS.values() if operation.action == action)


def acting_role(state: str) -> str | None:
    """Who moves a demand on from ``state`` (other than the requester), if anyone."""
    return next(
        (operation.role for operation in OPERATIONS.values() if state in operation.moves and operation.role != REQUESTER),
        None,
    )
