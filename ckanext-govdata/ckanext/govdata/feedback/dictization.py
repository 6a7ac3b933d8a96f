"""Reports, ratings and rectification items as dicts for actions and pages, with their
deadlines in working days.

Only the people entitled to an item ever get its dict (the actions check first); even they
get the reporter's account name, never contact details.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

from ckan import model

from ckanext.govdata import calendar
from ckanext.govdata.feedback.model import Correction, CorrectionEvent, Rating, Rectification
from ckanext.govdata.feedback.workflow import OPEN, RECTIFIED, RESOLVED_STATES, SUBMITTED


def isoformat(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def user_name(user_id: str | None) -> str | None:
    user = model.User.get(user_id) if user_id else None
    return user.name if user else None


def timeliness(state: str, pending: str, done: tuple[str, ...], closed_at: dt.datetime | None,
               due_date: dt.date, today: dt.date) -> str | None:
    """``on_time`` / ``overdue`` for an item closed by the department or still running; None
    for one withdrawn."""
    if state in done and closed_at is not None:
        return "on_time" if calendar.local_date(closed_at) <= due_date else "overdue"
    if state == pending:
        return "overdue" if today > due_date else "on_time"
    return None


def working_days_taken(opened_at: dt.datetime, closed_at: dt.datetime | None, today: dt.date) -> int:
    end = calendar.local_date(closed_at) if closed_at is not None else today
    return calendar.workdays_between(calendar.local_date(opened_at), end)


def _package_fields(package_id: str, organization_id: str | None) -> dict[str, Any]:
    package = model.Package.get(package_id)
    organization = model.Group.get(organization_id) if organization_id else None
    return {
        "package_id": package_id,
        "package_name": package.name if package else None,
        "package_title": package.title if package else None,
        "package_type": package.type if package else None,
        "organization_id": organization_id,
        "organization_title": organization.title if organization else None,
    }


def correction_dict(correction: Correction, detail: bool = False) -> dict[str, Any]:
    today = calendar.today()
    package = model.Package.get(correction.package_id)
    resources = [r for r in package.resources if r.state == "active"] if package else []
    named = {r.id: r.name for r in resources}
    result: dict[str, Any] = {
        "id": correction.id,
        "state": correction.state,
        "user_id": correction.user_id,
        "user_name": user_name(correction.user_id),
        **_package_fields(correction.package_id, correction.organization_id),
        "resource_id": correction.resource_id,
        "resource_name": named.get(correction.resource_id or ""),
        # What a fix may point to: the dataset's resources now (the newest last).
        "package_resources": [{"id": r.id, "name": r.name} for r in resources],
        "location": correction.location,
        "description": correction.description,
        "attachment": (
            {key: correction.attachment[key] for key in ("id", "name", "size", "mimetype")}
            if correction.attachment else None
        ),
        "limit_days": correction.limit_days,
        "submitted_at": isoformat(correction.submitted_at),
        "due_date": isoformat(correction.due_date),
        "resolved_at": isoformat(correction.resolved_at),
        "resolution_note": correction.resolution_note,
        "fixed_resource_id": correction.fixed_resource_id,
        "fixed_activity_id": correction.fixed_activity_id,
        "timeliness": timeliness(correction.state, SUBMITTED, RESOLVED_STATES, correction.resolved_at,
                                 correction.due_date, today),
        "working_days_taken": working_days_taken(correction.submitted_at, correction.resolved_at, today),
    }
    result["overdue"] = correction.state == SUBMITTED and today > correction.due_date
    if detail:
        submitted_on = calendar.local_date(correction.submitted_at)
        events = (
            model.Session.query(CorrectionEvent)
            .filter(CorrectionEvent.correction_id == correction.id)
            .order_by(CorrectionEvent.id)
            .all()
        )
        result["steps"] = [
            {
                "action": event.action,
                "actor": user_name(event.actor_id),
                "from_state": event.from_state,
                "to_state": event.to_state,
                "note": event.note,
                "created": isoformat(event.created),
                "working_days": calendar.workdays_between(submitted_on, calendar.local_date(event.created)),
            }
            for event in events
        ]
    return result


def rectification_dict(item: Rectification, rating: Rating | None = None) -> dict[str, Any]:
    today = calendar.today()
    rating = rating or model.Session.get(Rating, item.rating_id)
    return {
        "id": item.id,
        "state": item.state,
        "rating_id": item.rating_id,
        "user_id": rating.user_id if rating else None,
        "user_name": user_name(rating.user_id) if rating else None,
        **_package_fields(item.package_id, item.organization_id),
        "reason": item.reason,
        "limit_days": item.limit_days,
        "opened_at": isoformat(item.opened_at),
        "due_date": isoformat(item.due_date),
        "closed_at": isoformat(item.closed_at),
        "closed_by": user_name(item.closed_by),
        "note": item.note,
        "timeliness": timeliness(item.state, OPEN, (RECTIFIED,), item.closed_at, item.due_date, today),
        "working_days_taken": working_days_taken(item.opened_at, item.closed_at, today),
        "overdue": item.state == OPEN and today > item.due_date,
    }


def rating_dict(rating: Rating) -> dict[str, Any]:
    return {
        "id": rating.id,
        "package_id": rating.package_id,
        "value": rating.value,
        "reason": rating.reason,
        "created": isoformat(rating.created),
        "modified": isoformat(rating.modified),
    }
