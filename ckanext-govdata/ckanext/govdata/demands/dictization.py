"""Demands as dicts for actions and pages: deadlines, working days taken, on-time status, steps.

What identifies the requester (account, contact, purpose) is given only to those entitled to
it: the requester, the bureau's staff and the department the demand was routed to.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from ckan import model

from ckanext.govdata import calendar, vocabularies
from ckanext.govdata.demands import workflow
from ckanext.govdata.demands.model import Demand, DemandEvent
from ckanext.govdata.open_condition import Viewer

PRIVATE_FIELDS = ("user_id", "user_name", "contact_name", "contact_phone", "contact_email", "purpose")
# Steps whose time counts against a deadline, and the deadline they are held to.
CONFIRM_STEPS = ("accepted", "declined", "already_open")
PROVIDE_STEPS = ("provided",)


def isoformat(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def may_see_private(demand: Demand, viewer: Viewer) -> bool:
    return any(
        workflow.holds_role(role, demand, viewer) for role in (workflow.REQUESTER, workflow.BUREAU, workflow.DEPARTMENT)
    )


def _days(start: dt.datetime | None, end: dt.datetime | None, today: dt.date) -> int | None:
    if start is None:
        return None
    return calendar.workdays_between(calendar.local_date(start), calendar.local_date(end) if end else today)


def _timeliness(due: dt.date | None, done: dt.datetime | None, running: bool, today: dt.date) -> str | None:
    """on_time / overdue of a step held to ``due``: done by then, or still running past it."""
    if due is None:
        return None
    if done is not None:
        return "on_time" if calendar.local_date(done) <= due else "overdue"
    if running:
        return "overdue" if today > due else "on_time"
    return None


def current_due(demand: Demand) -> dt.date | None:
    """The deadline running now: confirmation while routed, provision once accepted."""
    if demand.state == workflow.ROUTED:
        return demand.confirm_due
    if demand.state == workflow.ACCEPTED:
        return demand.provide_due
    return None


def _user_name(user_id: str | None) -> str | None:
    user = model.User.get(user_id) if user_id else None
    return (user.fullname or user.name) if user else None


def _group_title(group_id: str | None) -> str | None:
    group = model.Group.get(group_id) if group_id else None
    return group.title if group else None


def demand_dict(demand: Demand, viewer: Viewer, supported: bool = False, detail: bool = False) -> dict[str, Any]:
    today = calendar.today()
    package = model.Package.get(demand.package_id) if demand.package_id else None
    resource = model.Resource.get(demand.resource_id) if demand.resource_id else None
    due = current_due(demand)
    confirm_running = demand.state == workflow.ROUTED
    provide_running = demand.state == workflow.ACCEPTED
    result: dict[str, Any] = {
        "id": demand.id,
        "title": demand.title,
        "description": demand.description,
        "domain": demand.domain,
        "domain_label": vocabularies.label("domains", demand.domain) if demand.domain else None,
        "suggested_organization_id": demand.suggested_organization_id,
        "suggested_organization_title": _group_title(demand.suggested_organization_id),
        "organization_id": demand.organization_id,
        "organization_title": _group_title(demand.organization_id),
        "state": demand.state,
        "submitted_at": isoformat(demand.submitted_at),
        "routed_at": isoformat(demand.routed_at),
        "confirm_due": isoformat(demand.confirm_due),
        "provide_due": isoformat(demand.provide_due),
        "confirmed_at": isoformat(demand.confirmed_at),
        "provided_at": isoformat(demand.provided_at),
        "due_date": isoformat(due),
        "overdue": due is not None and today > due,
        "confirm_days_taken": _days(demand.routed_at, demand.confirmed_at, today)
        if demand.confirmed_at or confirm_running else None,
        "provide_days_taken": _days(demand.routed_at, demand.provided_at, today)
        if demand.provided_at or provide_running else None,
        "confirm_timeliness": _timeliness(demand.confirm_due, demand.confirmed_at, confirm_running, today),
        "provide_timeliness": _timeliness(demand.provide_due, demand.provided_at, provide_running, today),
        "reason": demand.reason,
        "package_id": package.id if package else None,
        "package_name": package.name if package else None,
        "package_title": package.title if package else None,
        "package_type": package.type if package else None,
        "resource_id": resource.id if resource else None,
        "resource_name": resource.name if resource else None,
        "supporters": demand.supporters,
        "supported": supported,
        "created": isoformat(demand.created),
    }
    if may_see_private(demand, viewer):
        result.update(
            user_id=demand.user_id, user_name=_user_name(demand.user_id), contact_name=demand.contact_name,
            contact_phone=demand.contact_phone, contact_email=demand.contact_email, purpose=demand.purpose,
        )
        if detail:
            result["events"] = events(demand)
    elif detail:
        # The public timeline: what happened and when, not who (the requester's name is private).
        result["events"] = [dict(event, actor=None) for event in events(demand) if event["action"] != "reminded"]
    return result


def events(demand: Demand) -> list[dict[str, Any]]:
    """The demand's steps, each with the working days it took since the step before and, for
    the department's confirmation and provision, whether it met its deadline."""
    rows = model.Session.query(DemandEvent).filter(DemandEvent.demand_id == demand.id).order_by(DemandEvent.id).all()
    result = []
    previous: dt.date | None = None
    for event in rows:
        day = calendar.local_date(event.created)
        due = demand.confirm_due if event.action in CONFIRM_STEPS else (
            demand.provide_due if event.action in PROVIDE_STEPS else None
        )
        result.append({
            "id": event.id,
            "action": event.action,
            "actor": _user_name(event.actor_id),
            "from_state": event.from_state,
            "to_state": event.to_state,
            "note": event.note,
            "created": event.created.isoformat(),
            "working_days": calendar.workdays_between(previous, day) if previous is not None else 0,
            "timeliness": ("on_time" if day <= due else "overdue") if due is not None else None,
        })
        if event.action != "reminded":
            previous = day
    return result
