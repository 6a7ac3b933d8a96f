"""Requests as dicts for actions and pages: with their deadlines, history, grant and its use."""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from ckan import model

from ckanext.govdata import calendar, grants
from ckanext.govdata.access.model import AccessRequest, AccessRequestEvent
from ckanext.govdata.access.workflow import (
    DECIDED_STATES,
    PENDING_STATES,
)
from ckanext.govdata.grants import AccessLog
from ckanext.govdata.validators import identity


def isoformat(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _working_days_taken(request: AccessRequest, today: dt.date) -> int | None:
    if request.submitted_at is None:
        return None
    end = calendar.local_date(request.decided_at) if request.decided_at else today
    return calendar.workdays_between(calendar.local_date(request.submitted_at), end)


def _timeliness(request: AccessRequest, today: dt.date) -> str | None:
    """on_time / overdue for decided and running requests; None when no deadline applies."""
    if request.due_date is None:
        return None
    if request.state in DECIDED_STATES and request.decided_at is not None:
        return "on_time" if calendar.local_date(request.decided_at) <= request.due_date else "overdue"
    if request.state in PENDING_STATES:
        return "overdue" if today > request.due_date else "on_time"
    return None


def _event_dict(event: AccessRequestEvent, submitted_on: dt.date | None) -> dict[str, Any]:
    return {
        "id": event.id,
        "action": event.action,
        "actor": grants.user_name(event.actor_id),
        "from_state": event.from_state,
        "to_state": event.to_state,
        "note": event.note,
        "created": event.created.isoformat(),
        "working_days": (
            calendar.workdays_between(submitted_on, calendar.local_date(event.created)) if submitted_on else None
        ),
    }


def request_dict(request: AccessRequest, detail: bool = False) -> dict[str, Any]:
    today = calendar.today()
    package = model.Package.get(request.package_id)
    organization = model.Group.get(request.organization_id) if request.organization_id else None
    resources = {r.id: r.name for r in package.resources} if package else {}
    result: dict[str, Any] = {
        "id": request.id,
        "state": request.state,
        "user_id": request.user_id,
        "user_name": grants.user_name(request.user_id),
        "package_id": request.package_id,
        "package_name": package.name if package else None,
        "package_title": package.title if package else None,
        "organization_id": request.organization_id,
        "organization_title": organization.title if organization else None,
        "resource_ids": list(request.resource_ids or []),
        "resources": [{"id": rid, "name": resources.get(rid)} for rid in request.resource_ids or []],
        "applicant_type": request.applicant_type,
        "applicant_name": request.applicant_name,
        "credit_code": request.credit_code,
        "contact_phone": request.contact_phone,
        "contact_email": request.contact_email,
        "purpose": request.purpose,
        "scenario": request.scenario,
        "period_start": request.period_start.isoformat(),
        "period_end": request.period_end.isoformat(),
        "fields_needed": list(request.fields_needed or []),
        "commitments": request.commitments,
        "agreement_accepted": request.agreement_accepted,
        # Masked: pages, the ledger and API answers never carry a person's whole document number.
        "subject_id": identity.shown(request.subject_id, request.subject_document_type) or None,
        "subject_document_type": request.subject_document_type,
        "subject_consent": request.subject_consent,
        "attachments": [
            {key: item[key] for key in ("id", "name", "size", "mimetype")} for item in request.attachments or []
        ],
        "platform_holds_data": request.platform_holds_data,
        "limit_days": request.limit_days,
        "submitted_at": isoformat(request.submitted_at),
        "due_date": isoformat(request.due_date),
        "decided_at": isoformat(request.decided_at),
        "decision_reason": request.decision_reason,
        "working_days_taken": _working_days_taken(request, today),
        "timeliness": _timeliness(request, today),
        "overdue": request.state in PENDING_STATES and request.due_date is not None and today > request.due_date,
        "created": request.created.isoformat(),
        "modified": request.modified.isoformat(),
    }
    if detail:
        events = (
            model.Session.query(AccessRequestEvent)
            .filter(AccessRequestEvent.request_id == request.id)
            .order_by(AccessRequestEvent.id)
            .all()
        )
        first_submission = next((e.created for e in events if e.action == "submitted"), None)
        submitted_on = calendar.local_date(first_submission) if first_submission else None
        result["events"] = [_event_dict(event, submitted_on) for event in events]
        grant = grants.of_request(request.id)
        result["grant"] = grants.grant_dict(grant, today) if grant else None
        result["reads"] = _reads(grant.id) if grant else []
    return result


def _reads(grant_id: str) -> list[dict[str, Any]]:
    """What the grantee has taken under a grant, by channel (from the access log)."""
    rows = (
        model.Session.query(
            AccessLog.channel, AccessLog.unit, sa.func.count(), sa.func.sum(AccessLog.amount), sa.func.max(AccessLog.created)
        )
        .filter(AccessLog.grant_id == grant_id)
        .group_by(AccessLog.channel, AccessLog.unit)
        .order_by(AccessLog.channel)
    )
    return [
        {"channel": channel, "unit": unit, "count": count, "amount": int(amount or 0), "last": last.isoformat()}
        for channel, unit, count, amount, last in rows
    ]
