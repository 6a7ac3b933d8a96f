"""Actions on notices: the caller's unread ones, marking them read, and the daily reminders."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps, calendar, settings
from ckanext.govdata.calendar import utcnow
from ckanext.govdata.demands import dictization, labels, notify, workflow
from ckanext.govdata.demands.logic import common, schema
from ckanext.govdata.demands.model import Demand, DemandEvent, DemandNotice


@tk.side_effect_free
def govdata_demand_notice_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The caller's unread in-app notices about demands, newest first."""
    tk.check_access("govdata_demand_notice_list", context, data_dict)
    caller = common.viewer(context)
    rows = (
        model.Session.query(DemandNotice, Demand)
        .join(Demand, Demand.id == DemandNotice.demand_id)
        .filter(DemandNotice.user_id == caller.user_id, DemandNotice.read_at.is_(None))
        .order_by(DemandNotice.created.desc())
        .limit(50)
    )
    return [
        {
            "id": notice.id,
            "kind": notice.kind,
            "label": labels.notice_label(notice.kind),
            "created": notice.created.isoformat(),
            "demand_id": demand.id,
            "title": demand.title,
            "due_date": dictization.isoformat(dictization.current_due(demand)),
        }
        for notice, demand in rows
    ]


@action_steps.atomic
def govdata_demand_notice_read(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Mark the caller's notices about one demand as read."""
    data = action_steps.validate(data_dict, schema.demand_id_schema(), context)
    tk.check_access("govdata_demand_notice_read", context, data)
    caller = common.viewer(context)
    marked = (
        model.Session.query(DemandNotice)
        .filter(DemandNotice.user_id == caller.user_id, DemandNotice.demand_id == data["id"])
        .filter(DemandNotice.read_at.is_(None))
        .update({DemandNotice.read_at: utcnow()}, synchronize_session=False)
    )
    action_steps.finish(context)
    return {"marked": marked}


@action_steps.atomic
def govdata_demand_reminders_send(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Remind departments of demands due soon and of overdue ones (run daily by cron).

    The department's editors and admins get one ``due_soon`` reminder per deadline
    ``remind_days_before`` working days before it, and one ``overdue`` reminder once it has
    passed (the bureau's staff get that one too). Notices and history are one transaction;
    mail goes out once it is committed.

    :param today: the day to act as (``YYYY-MM-DD``, default today, local time)
    """
    data = action_steps.validate(data_dict, schema.reminders_schema(), context)
    tk.check_access("govdata_demand_reminders_send", context, data)
    today = data.get("today") or calendar.today()
    lead = settings.current().demands.remind_days_before
    sent = {"due_soon": 0, "overdue": 0, "mails": 0}
    outbox = notify.Outbox()
    pending = model.Session.query(Demand).filter(Demand.state.in_(workflow.PENDING_STATES)).order_by(Demand.id)
    for demand in pending.with_for_update().all():
        due = dictization.current_due(demand)
        if due is None:
            continue
        if today > due:
            kind = "overdue"
        elif calendar.workdays_between(today, due) <= lead:
            kind = "due_soon"
        else:
            continue
        note = f"{kind}:{demand.state}:{due.isoformat()}"
        already = (
            model.Session.query(DemandEvent.id)
            .filter(DemandEvent.demand_id == demand.id, DemandEvent.action == "reminded", DemandEvent.note == note)
            .first()
        )
        if already:
            continue
        recipients = notify.department_ids(demand.organization_id)
        if kind == "overdue":
            recipients += notify.bureau_ids()
        outbox.tell(recipients, demand, kind)
        common.record(demand, "reminded", None, demand.state, note)
        sent[kind] += 1
    action_steps.finish(context)
    sent["mails"] = outbox.send()
    return sent
