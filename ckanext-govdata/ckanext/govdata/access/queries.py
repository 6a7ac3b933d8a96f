"""Finding requests: by id (locked for a change), by the caller's scope, by the list filters."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
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
    """Per department: requests received and decided, the mean working days from submission to
    decision, the on-time rate (decided by the due date, over those decided and those still
    pending past it), and the requests pending now (``open``) and past their due date (``overdue``)."""
    today = calendar.today()
    rows = model.Session.query(
        AccessRequest.organization_id, AccessRequest.state, AccessRequest.submitted_at,
        AccessRequest.decided_at, AccessRequest.due_date,
    ).filter(AccessRequest.state != DRAFT)
    tallies: dict[str, dict[str, Any]] = {}
    for organization_id, state, submitted_at, decided_at, due_date in rows:
        tally = tallies.setdefault(organization_id, {"requests": 0, "days": [], "on_time": 0, "open": 0, "overdue": 0})
        tally["requests"] += 1
        if decided_at is not None and submitted_at is not None:
            decided_on = calendar.local_date(decided_at)
            tally["days"].append(calendar.workdays_between(calendar.local_date(submitted_at), decided_on))
            tally["on_time"] += due_date is None or decided_on <= due_date
        elif state in PENDING_STATES:
            tally["open"] += 1
            tally["overdue"] += due_date is not None and today > due_date
    return {
        organization_id: {
            "requests": tally["requests"],
            "requests_decided": len(tally["days"]),
            "days_to_decision": calendar.mean_days(tally["days"]),
            "requests_on_time_rate": calendar.on_time_rate(tally["on_time"], len(tally["days"]) + tally["overdue"]),
            "open": tally["open"],
            "overdue": tally["overdue"],
        }
        for organization_id, tally in tallies.items()
    }
