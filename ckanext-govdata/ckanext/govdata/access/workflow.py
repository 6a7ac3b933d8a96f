"""The access-request workflow: its states, and one table of who may do what in which state.

Actions move a request only through ``transition``; auth functions ask ``holds_role``; views
and templates ask ``allowed_operations``. Nothing else decides what a request's state allows.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.govdata.messages import bilingual
from ckanext.govdata.open_condition import Viewer

DRAFT = "draft"
SUBMITTED = "submitted"
DEPARTMENT_REVIEW = "department_review"
APPROVED = "approved"
REJECTED = "rejected"
RETURNED = "returned"
WITHDRAWN = "withdrawn"
STATES = (DRAFT, SUBMITTED, DEPARTMENT_REVIEW, APPROVED, REJECTED, RETURNED, WITHDRAWN)
OPEN_STATES = (DRAFT, SUBMITTED, DEPARTMENT_REVIEW, RETURNED)
# States in which the deadline runs.
PENDING_STATES = (SUBMITTED, DEPARTMENT_REVIEW)
DECIDED_STATES = (APPROVED, REJECTED)

# Who acts: the applicant, the data bureau's staff (sysadmins), the department holding the data.
APPLICANT = "applicant"
BUREAU = "bureau"
DEPARTMENT = "department"

NOT_CHECKING = "This request is not waiting for the platform check"
NOT_DECIDING = "This request is not waiting for the department's decision"


@dataclasses.dataclass(frozen=True)
class Operation:
    name: str
    role: str
    # From state → next state.
    moves: Mapping[str, str]
    # Refusal when the request's state allows no move.
    refusal: str
    # The action that performs it, and the parameters that choose this operation.
    action: str
    params: Mapping[str, str] = dataclasses.field(default_factory=dict)
    # States where asking again changes nothing and succeeds (a double-clicked form).
    settled: tuple[str, ...] = ()


def _operations(*operations: Operation) -> dict[str, Operation]:
    return {operation.name: operation for operation in operations}


OPERATIONS = _operations(
    Operation("update", APPLICANT, {DRAFT: DRAFT, RETURNED: RETURNED},
              "Only a draft or a returned request can be changed", "govdata_access_request_update"),
    Operation("submit", APPLICANT, {DRAFT: SUBMITTED, RETURNED: SUBMITTED},
              "This request is closed and cannot be submitted", "govdata_access_request_submit",
              settled=(SUBMITTED, DEPARTMENT_REVIEW, APPROVED)),
    Operation("withdraw", APPLICANT, dict.fromkeys(OPEN_STATES, WITHDRAWN),
              "A decided request cannot be withdrawn", "govdata_access_request_withdraw", settled=(WITHDRAWN,)),
    Operation("pass", BUREAU, {SUBMITTED: DEPARTMENT_REVIEW}, NOT_CHECKING,
              "govdata_access_request_review", {"outcome": "pass"}),
    Operation("check_return", BUREAU, {SUBMITTED: RETURNED}, NOT_CHECKING,
              "govdata_access_request_review", {"outcome": "return"}),
    Operation("check_reject", BUREAU, {SUBMITTED: REJECTED}, NOT_CHECKING,
              "govdata_access_request_review", {"outcome": "reject"}),
    Operation("approve", DEPARTMENT, {DEPARTMENT_REVIEW: APPROVED}, NOT_DECIDING,
              "govdata_access_request_decide", {"decision": "approve"}),
    Operation("return", DEPARTMENT, {DEPARTMENT_REVIEW: RETURNED}, NOT_DECIDING,
              "govdata_access_request_decide", {"decision": "return"}),
    Operation("reject", DEPARTMENT, {DEPARTMENT_REVIEW: REJECTED}, NOT_DECIDING,
              "govdata_access_request_decide", {"decision": "reject"}),
)
# Revoking acts on the request's grant, not its state: the department, while the grant is in force.
REVOKE = "revoke"
# What the review queue offers for many requests at once: each becomes the operation its state allows.
BULK_OPERATIONS: dict[str, tuple[str, ...]] = {
    "pass": ("pass",),
    "approve": ("approve",),
    "return": ("check_return", "return"),
    "reject": ("check_reject", "reject"),
}


def operation_for(action: str, params: Mapping[str, Any]) -> Operation:
    """The operation an action call performs (``decision=reject`` of ``..._decide`` …)."""
    for operation in OPERATIONS.values():
        if operation.action == action and all(params.get(key) == value for key, value in operation.params.items()):
            return operation
    raise KeyError((action, dict(params)))


def _field(request: Any, name: str) -> Any:
    return request.get(name) if isinstance(request, Mapping) else getattr(request, name)


def holds_role(role: str, request: Any, viewer: Viewer) -> bool:
    """Is ``viewer`` the applicant, bureau staff or the department for ``request`` (a row or dict)?"""
    if role == APPLICANT:
        return viewer.user_id is not None and viewer.user_id == _field(request, "user_id")
    if role == BUREAU:
        return viewer.sysadmin
    return viewer.sysadmin or viewer.staff_of(_field(request, "organization_id"))


def transition(request: Any, name: str) -> str | None:
    """The state ``name`` moves ``request`` to; None when it is settled there already.

    A state that allows no move is a ValidationError naming ``state``.
    """
    operation = OPERATIONS[name]
    state = request.state
    if state in operation.settled:
        return None
    if state not in operation.moves:
        raise tk.ValidationError({"state": [bilingual(operation.refusal)]})
    return operation.moves[state]


def allowed_operations(request: Mapping[str, Any], viewer: Viewer) -> list[str]:
    """What ``viewer`` may do with ``request`` (a request dict) now, in the table's order."""
    allowed = [
        operation.name
        for operation in OPERATIONS.values()
        if request["state"] in operation.moves and holds_role(operation.role, request, viewer)
    ]
    grant = request.get("grant")
    if grant and grant.get("in_force") and holds_role(DEPARTMENT, request, viewer):
        allowed.append(REVOKE)
    return allowed


def acting_role(state: str) -> str | None:
    """Who moves a request on from ``state`` (other than the applicant), if anyone."""
    return next(
        (operation.role for operation in OPERATIONS.values() if state in operation.moves and operation.role != APPLICANT),
        None,
    )


def role_of(action: str) -> str:
    """Who performs the operations of ``action`` (each action's operations share one role)."""
    return next(operation.role for operation in OPERATIONS.values() if operation.action == action)


def bulk_operation(bulk: str, state: str) -> Operation:
    """The operation a bulk choice means for a request in ``state`` (the action refuses the rest)."""
    candidates = [OPERATIONS[name] for name in BULK_OPERATIONS[bulk]]
    return next((operation for operation in candidates if state in operation.moves), candidates[-1])


def bulk_choices(viewer: Viewer) -> list[str]:
    """The bulk choices the review queue offers ``viewer``: those of a role they may hold."""
    may_hold = {APPLICANT: True, BUREAU: viewer.sysadmin, DEPARTMENT: viewer.sysadmin or bool(viewer.staff_orgs())}
    return [bulk for bulk, names in BULK_OPERATIONS.items() if any(may_hold[OPERATIONS[name].role] for name in names)]
