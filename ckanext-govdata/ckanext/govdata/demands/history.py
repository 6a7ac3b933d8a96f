"""Moving a demand's steps into the past, for the demo city: a new portal shows demands that
were handled on time, late, or are overdue now, with deadlines counted as if each step had
happened on its day. Never called by the portal's own workflow."""
from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from ckan import model

from ckanext.govdata import calendar, settings
from ckanext.govdata.demands.model import Demand, DemandEvent

# Which of the demand's times each step sets.
STEP_TIMES = {
    "submitted": ("submitted_at", "created"),
    "routed": ("routed_at",),
    "accepted": ("confirmed_at",),
    "declined": ("confirmed_at",),
    "already_open": ("confirmed_at", "provided_at"),
    "provided": ("provided_at",),
}


def _local_morning(day: dt.date, hour: int) -> dt.datetime:
    """``hour`` o'clock local time on ``day``, as the naive UTC CKAN stores."""
    local = dt.datetime.combine(day, dt.time(hour), calendar.local_zone())
    return local.astimezone(dt.UTC).replace(tzinfo=None)


def backdate(demand_id: str, days_ago: Sequence[int]) -> None:
    """Put the demand's i-th step on the day ``days_ago[i]`` calendar days before today (steps
    beyond the list stay on the last day given), and count its deadlines from that routing day.
    The caller commits."""
    demand = model.Session.get(Demand, demand_id)
    if demand is None or not days_ago:
        return
    today = calendar.today()
    events = (
        model.Session.query(DemandEvent)
        .filter(DemandEvent.demand_id == demand_id, DemandEvent.action != "reminded")
        .order_by(DemandEvent.id)
        .all()
    )
    for index, event in enumerate(events):
        day = today - dt.timedelta(days=days_ago[min(index, len(days_ago) - 1)])
        event.created = _local_morning(day, 9 + min(index, 8))
        for field in STEP_TIMES.get(event.action, ()):
            setattr(demand, field, event.created)
    demand.modified = events[-1].created if events else demand.modified
    if demand.routed_at is not None:
        options = settings.current().demands
        routed_on = calendar.local_date(demand.routed_at)
        demand.confirm_due = calendar.add_workdays(routed_on, options.confirm_limit_days)
        demand.provide_due = calendar.add_workdays(routed_on, options.provide_limit_days)
