"""Actions on notices: the caller's unread ones, marking them read, and the daily reminders."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps, calendar, settings
from ckanext.govdata.access import dictization, notify
from ckanext.govdata.access.logic import common, schema
from ckanext.govdata.access.model import AccessNotice, AccessRequest, AccessRequestEvent
from ckanext.govdata.access.workflow import (
    PENDING_STATES,
)
from ckanext.govdata.calendar import utcnow


@tk.side_effect_free
def govdata_access_notice_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The caller's unread in-app notices about requests."""
    tk.check_access("govdata_access_notice_list", context, data_dict)
    viewer = common.viewer(context)
    notices = (
        model.Session.query(AccessNotice)
        .filter(AccessNotice.user_id == viewer.user_id, AccessNotice.read_at.is_(None))
        .order_by(AccessNotice.created.desc())
        .limit(50)
        .all()
    )
    result = []
    for notice in notices:
        request = model.Session.get(AccessRequest, notice.request_id)
        result.append({
            "id": notice.id,
            "kind": notice.kind,
            "created": notice.created.isoformat(),
            "request_id": notice.request_id,
            "package_title": (model.Package.get(request.package_id).title if request else None),
            "due_date": dictization.isoformat(request.due_date) if request else None,
        })
    return result


@action_steps.atomic
def govdata_access_notice_read(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Mark the caller's notices about one request as read."""
    data = action_steps.validate(data_dict, schema.request_id_schema(), context)
    tk.check_access("govdata_access_notice_read", context, data)
    viewer = common.viewer(context)
    marked = (
        model.Session.query(AccessNotice)
        .filter(AccessNotice.user_id == viewer.user_id, AccessNotice.request_id == data["id"])
        .filter(AccessNotice.read_at.is_(None))
        .update({AccessNotice.read_at: utcnow()}, synchronize_session=False)
    )
    action_steps.finish(context)
    return {"marked": marked}


@action_steps.atomic
def govdata_access_reminders_send(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Remind reviewers of requests due soon and of overdue ones (run daily by cron).

    Each request's reviewers get one ``due_soon`` reminder per stage ``remind_days_before``
    working days before its deadline, and one ``overdue`` reminder once it has passed. The
    notices and history are one transaction; mail goes out once it is committed.

    :param today: the day to act as (``YYYY-MM-DD``, default today, local time)
    """
    data = action_steps.validate(data_dict, schema.reminders_schema(), context)
    tk.check_access("govdata_access_reminders_send", context, data)
    today = data.get("today") or calendar.today()
    lead = settings.current().access.remind_days_before
    sent = {"due_soon": 0, "overdue": 0, "mails": 0}
    mails: list[tuple[list[str], AccessRequest, str]] = []
    pending = model.Session.query(AccessRequest).filter(AccessRequest.state.in_(PENDING_STATES)).all()
    for request in pending:
        if request.due_date is None:
            continue
        if today > request.due_date:
            kind = "overdue"
        elif calendar.workdays_between(today, request.due_date) <= lead:
            kind = "due_soon"
        else:
            continue
        note = f"{kind}:{request.state}:{request.due_date.isoformat()}"
        already = (
            model.Session.query(AccessRequestEvent.id)
            .filter(AccessRequestEvent.request_id == request.id, AccessRequestEvent.action == "reminded")
            .filter(AccessRequestEvent.note == note)
            .first()
        )
        if already:
            continue
        reviewers = notify.reviewer_ids(request)
        notify.notify(reviewers, request, kind)
        common.record(request, "reminded", None, request.state, note)
        sent[kind] += 1
        mails.append((reviewers, request, kind))
    action_steps.finish(context)
    for reviewers, request, kind in mails:
        sent["mails"] += notify.mail(reviewers, request, kind)
    return sent
