"""Finding requests: by id (locked for a change), by the caller's scope, by the list filters."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.govdata import calendar
from ckanext.govdata.access.logic.schema import _error
from ckanext.govdata.access.model import AccessRequest
from ckanext.govdata.access.workflow import (
    DRAFT,
    PENDING_STATES,
)
from ckanext.govdata.open_condition import Viewer


def get_request(request_id: str, lock: bool = False) -> AccessRequest:
    query = model.Session.query(AccessRequest).filter(AccessRequest.id == request_id)
    if lock:
        query = query.with_for_update()
    found = query.one_or_none()
    if found is None:
        raise tk.ObjectNotFound(_error("id", "{field} not found: {value}", value=request_id))
    return found


def filtered(query: Any, data: dict[str, Any]) -> Any:
    if data.get("state"):
        query = query.filter(AccessRequest.state.in_(str(data["state"]).split(",")))
    if data.get("organization_id"):
        organization = model.Group.get(data["organization_id"])
        query = query.filter(AccessRequest.organization_id == (organization.id if organization else data["organization_id"]))
    if data.get("package_id"):
        package = model.Package.get(data["package_id"])
        query = query.filter(AccessRequest.package_id == (package.id if package else data["package_id"]))
    if tk.asbool(data.get("overdue") or False):
        query = query.filter(AccessRequest.state.in_(PENDING_STATES), AccessRequest.due_date < calendar.today())
    # Periods are local dates; stored times are UTC.
    if data.get("date_from"):
        query = query.filter(AccessRequest.submitted_at >= calendar.day_starts_at(data["date_from"]))
    if data.get("date_to"):
        end = calendar.day_starts_at(data["date_to"] + dt.timedelta(days=1))
        query = query.filter(AccessRequest.submitted_at < end)
    return query


def scoped(viewer: Viewer, scope: str) -> Any:
    """``mine``: the caller's own requests; ``review``: those the caller reviews (never drafts)."""
    query = model.Session.query(AccessRequest)
    if scope == "mine":
        return query.filter(AccessRequest.user_id == viewer.user_id)
    query = query.filter(AccessRequest.state != DRAFT)
    if viewer.sysadmin:
        return query
    return query.filter(AccessRequest.organization_id.in_(sorted(viewer.staff_orgs()) or [""]))


def decision_times() -> dict[str, dict[str, Any]]:
    """Requests received and decided per department, and the mean days to a decision."""
    decided = AccessRequest.decided_at.is_not(None) & AccessRequest.submitted_at.is_not(None)
    days = sa.extract("epoch", AccessRequest.decided_at - AccessRequest.submitted_at) / 86400.0
    query = model.Session.query(
        AccessRequest.organization_id,
        sa.func.count(),
        sa.func.count().filter(decided),
        sa.func.avg(days).filter(decided),
    ).group_by(AccessRequest.organization_id)
    return {
        organization_id: {
            "requests": int(total),
            "requests_decided": int(decided_count),
            "days_to_decision": round(float(mean), 1) if mean is not None else None,
        }
        for organization_id, total, decided_count, mean in query
    }
