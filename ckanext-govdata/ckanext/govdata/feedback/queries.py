"""Finding reports and rectification items: by id (locked for a change), by the caller's scope
and the list filters; and the per-department figures."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.govdata import calendar
from ckanext.govdata.feedback import dictization
from ckanext.govdata.feedback.logic.schema import _error
from ckanext.govdata.feedback.model import Correction, Rating, Rectification
from ckanext.govdata.feedback.workflow import (
    FIXED,
    OPEN,
    RECTIFIED,
    RESOLVED_STATES,
    SUBMITTED,
    WITHDRAWN,
)
from ckanext.govdata.open_condition import Viewer

Item = type[Correction] | type[Rectification]


def get(table: Item, item_id: str, lock: bool = False) -> Any:
    query = model.Session.query(table).filter(table.id == item_id)
    if lock:
        query = query.with_for_update()
    found = query.one_or_none()
    if found is None:
        raise tk.ObjectNotFound(_error("id", "{field} not found: {value}", value=str(item_id)[:100]))
    return found


def scoped(table: Item, viewer: Viewer, scope: str) -> Any:
    """``mine``: the caller's own reports (or bad ratings); ``review``: those of the caller's
    departments, every one for sysadmins."""
    query = model.Session.query(table)
    if scope == "mine":
        if table is Rectification:
            return query.join(Rating, Rating.id == Rectification.rating_id).filter(Rating.user_id == viewer.user_id)
        return query.filter(Correction.user_id == viewer.user_id)
    if viewer.sysadmin:
        return query
    return query.filter(table.organization_id.in_(sorted(viewer.staff_orgs()) or [""]))


def filtered(table: Item, query: Any, data: dict[str, Any]) -> Any:
    if data.get("state"):
        query = query.filter(table.state.in_(str(data["state"]).split(",")))
    if data.get("organization_id"):
        organization = model.Group.get(data["organization_id"])
        query = query.filter(table.organization_id == (organization.id if organization else data["organization_id"]))
    if data.get("package_id"):
        package = model.Package.get(data["package_id"])
        query = query.filter(table.package_id == (package.id if package else data["package_id"]))
    if data.get("overdue"):
        pending = SUBMITTED if table is Correction else OPEN
        query = query.filter(table.state == pending, table.due_date < calendar.today())
    return query


def _in_period(query: Any, column: Any, data: dict[str, Any]) -> Any:
    if data.get("date_from"):
        query = query.filter(column >= calendar.day_starts_at(data["date_from"]))
    if data.get("date_to"):
        query = query.filter(column < calendar.day_starts_at(data["date_to"] + dt.timedelta(days=1)))
    return query


def correction_stats(organization_ids: list[str] | None, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per department: reports received, fixed, rejected, open, overdue; resolved on time; the
    on-time rate (resolved on time over those resolved or past their deadline) and the mean
    working days to resolution."""
    query = _in_period(model.Session.query(Correction).filter(Correction.state != WITHDRAWN),
                       Correction.submitted_at, data)
    if organization_ids is not None:
        query = query.filter(Correction.organization_id.in_(organization_ids or [""]))
    today = calendar.today()
    tallies: dict[str, dict[str, Any]] = defaultdict(lambda: {
        "received": 0, "fixed": 0, "rejected": 0, "open": 0, "overdue": 0, "on_time": 0, "days": [],
    })
    for correction in query:
        tally = tallies[correction.organization_id or ""]
        tally["received"] += 1
        if correction.state in RESOLVED_STATES:
            tally["fixed" if correction.state == FIXED else "rejected"] += 1
            tally["days"].append(dictization.working_days_taken(correction.submitted_at, correction.resolved_at, today))
            if correction.resolved_at is not None and calendar.local_date(correction.resolved_at) <= correction.due_date:
                tally["on_time"] += 1
        else:
            tally["open"] += 1
            if today > correction.due_date:
                tally["overdue"] += 1
    result = {}
    for organization_id, tally in tallies.items():
        days = tally.pop("days")
        resolved = tally["fixed"] + tally["rejected"]
        result[organization_id] = {
            **tally,
            "resolved": resolved,
            "on_time_rate": calendar.on_time_rate(tally["on_time"], resolved + tally["overdue"]),
            "mean_working_days": calendar.mean_days(days),
        }
    return result


def rectification_stats(organization_ids: list[str] | None, data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Per department: bad ratings (items not taken back by their rater), rectified, rectified
    on time, open, overdue; the rectification rate on time (差评按期整改率: rectified on time
    over those rectified or past their deadline; target 100%)."""
    query = _in_period(model.Session.query(Rectification).filter(Rectification.state != WITHDRAWN),
                       Rectification.opened_at, data)
    if organization_ids is not None:
        query = query.filter(Rectification.organization_id.in_(organization_ids or [""]))
    today = calendar.today()
    tallies: dict[str, dict[str, int]] = defaultdict(lambda: {
        "bad_ratings": 0, "rectified": 0, "rectified_on_time": 0, "open": 0, "overdue": 0,
    })
    for item in query:
        tally = tallies[item.organization_id or ""]
        tally["bad_ratings"] += 1
        if item.state == RECTIFIED:
            tally["rectified"] += 1
            if item.closed_at is not None and calendar.local_date(item.closed_at) <= item.due_date:
                tally["rectified_on_time"] += 1
        else:
            tally["open"] += 1
            if today > item.due_date:
                tally["overdue"] += 1
    return {
        organization_id: {
            **tally,
            "rectification_rate": calendar.on_time_rate(tally["rectified_on_time"], tally["rectified"] + tally["overdue"]),
            "target": 1.0,
        }
        for organization_id, tally in tallies.items()
    }


def rating_counts(package_id: str) -> dict[str, int]:
    """Good and bad ratings of a dataset."""
    counts = {"good": 0, "bad": 0}
    rows = (
        model.Session.query(Rating.value, sa.func.count())
        .filter(Rating.package_id == package_id)
        .group_by(Rating.value)
    )
    counts.update({value: int(count) for value, count in rows})
    return counts
