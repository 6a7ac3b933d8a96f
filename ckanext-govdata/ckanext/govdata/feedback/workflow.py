"""The two feedback workflows as tables: error reports (纠错) and rectification items (差评整改).

Actions move objects only through ``transition``; auth functions ask ``holds_role``; views and
templates ask ``allowed_operations``. Nothing else decides what a state allows.
"""
from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ckanext.govdata import workflows
from ckanext.govdata.open_condition import Viewer
from ckanext.govdata.workflows import Operation

# Error reports.
SUBMITTED = "submitted"
FIXED = "fixed"
REJECTED = "rejected"
WITHDRAWN = "withdrawn"
CORRECTION_STATES = (SUBMITTED, FIXED, REJECTED, WITHDRAWN)
RESOLVED_STATES = (FIXED, REJECTED)

# Rectification items.
OPEN = "open"
RECTIFIED = "rectified"
RECTIFICATION_STATES = (OPEN, RECTIFIED, WITHDRAWN)

# Who acts: the reporter or rater (the item's user), the department holding the data (its
# editors and admins; the bureau's sysadmins may act for it).
REPORTER = "reporter"
DEPARTMENT = "department"

NOT_WAITING = "This report has been handled already"

CORRECTIONS = workflows.table(
    Operation("fix", DEPARTMENT, {SUBMITTED: FIXED}, "govdata_correction_decide", {"decision": "fix"},
              refusal=NOT_WAITING),
    Operation("reject", DEPARTMENT, {SUBMITTED: REJECTED}, "govdata_correction_decide", {"decision": "reject"},
              refusal=NOT_WAITING),
    Operation("withdraw", REPORTER, {SUBMITTED: WITHDRAWN}, "govdata_correction_withdraw",
              refusal="A handled report cannot be withdrawn", settled=(WITHDRAWN,)),
)

RECTIFICATIONS = workflows.table(
    Operation("rectify", DEPARTMENT, {OPEN: RECTIFIED}, "govdata_rectification_rectify",
              refusal="This item has been closed already"),
    # The rater takes the bad rating back by rating the dataset good.
    Operation("withdraw", REPORTER, {OPEN: WITHDRAWN}, "govdata_rating_create", {"value": "good"},
              settled=(RECTIFIED, WITHDRAWN)),
)


def _field(item: Any, name: str) -> Any:
    return item.get(name) if isinstance(item, Mapping) else getattr(item, name)


def holds_role(role: str, item: Any, viewer: Viewer) -> bool:
    """Is ``viewer`` the item's reporter, or staff of its department (a row or a dict)?"""
    if role == REPORTER:
        return viewer.user_id is not None and viewer.user_id == _field(item, "user_id")
    return viewer.sysadmin or viewer.staff_of(_field(item, "organization_id"))


def role_of(operations: Mapping[str, Operation], action: str) -> str:
    return next(operation.role for operation in operations.values() if operation.action == action)


def transition(operations: Mapping[str, Operation], item: Any, name: str) -> str | None:
    """The state ``name`` moves ``item`` to; None when settled there already (a ValidationError
    naming ``state`` when the state allows no move)."""
    return workflows.move(operations[name], item.state)


def allowed_operations(operations: Mapping[str, Operation], item: Mapping[str, Any], viewer: Viewer) -> list[str]:
    """What ``viewer`` may do with ``item`` (a dict) now, in the table's order. Withdrawing a
    rectification is the rater's new rating, not a button."""
    names = workflows.allowed(operations.values(), item["state"], lambda role: holds_role(role, item, viewer))
    return [name for name in names if operations[name].action != "govdata_rating_create"]
