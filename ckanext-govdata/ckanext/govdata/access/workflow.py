"""The access-request workflow: its states, and one table of who may do what in which state.

Actions move a request only through ``transition``; auth functions ask ``holds_role``; views
and templates ask ``allowed_operations``. Nothing else decides what a request's state allows.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ckanext.govdata import workflows
from ckanext.govdata.open_condition import Viewer
from ckanext.govdata.workflows import Operation

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


OPERATIONS = workflows.table(
    Operation("update", APPLICANT, {DRAFT: DRAFT, RETURNED: RETURNED}, "govdata_access_request_update",
              refusal="Only a draft or a returned request can be changed"),
    Operation("submit", APPLICANT, {DRAFT: SUBMITTED, RETURNED: SUBMITTED}, "govdata_access_request_submit",
              refusal="This request is closed and cannot be submitted", settled=(SUBMITTED, DEPARTMENT_REVIEW, APPROVED)),
    Operation("withdraw", APPLICANT, dict.fromkeys(OPEN_STATES, WITHDRAWN), "govdata_access_request_withdraw",
              refusal="A decided request cannot be withdrawn", settled=(WITHDRAWN,)),
    Operation("pass", BUREAU, {SUBMITTED: DEPARTMENT_REVIEW}, "govdata_access_request_review", {"outcome": "pass"},
              refusal=NOT_CHECKING),
    Operation("check_return", BUREAU, {SUBMITTED: RETURNED}, "govdata_access_request_review", {"outcome": "return"},
              refusal=NOT_CHECKING),
    Operation("check_reject", BUREAU, {SUBMITTED: REJECTED}, "govdata_access_request_review", {"outcome": "reject"},
              refusal=NOT_CHECKING),
    Operation("approve", DEPARTMENT, {DEPARTMENT_REVIEW: APPROVED}, "govdata_access_request_decide", {"decision": "approve"},
              refusal=NOT_DECIDING),
    Operation("return", DEPARTMENT, {DEPARTMENT_REVIEW: RETURNED}, "govdata_access_request_decide", {"decision": "return"},
              refusal=NOT_DECIDING),
    Operation("reject", DEPARTMENT, {DEPARTMENT_REVIEW: REJECTED}, "govdata_access_request_decide", {"decision": "reject"},
              refusal=NOT_DECIDING),
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
    return workflows.operation_for(OPERATIONS, action, params)


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
    return workflows.move(OPERATIONS[name], request.state)


def allowed_operations(request: Mapping[str, Any], viewer: Viewer) -> list[str]:
    """What ``viewer`` may do with ``request`` (a request dict) now, in the table's order."""
    allowed = workflows.allowed(OPERATIONS.values(), request["state"], lambda role: holds_role(role, request, viewer))
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
