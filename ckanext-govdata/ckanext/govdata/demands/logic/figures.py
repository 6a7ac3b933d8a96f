"""Figures of demand handling per department, for the monitoring page and the bulletins."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import calendar
from ckanext.govdata.demands import workflow
from ckanext.govdata.demands.model import Demand


def _step(start: dt.datetime | None, done: dt.datetime, due: dt.date | None) -> tuple[int, bool]:
    """Working days from routing to ``done``, and whether ``done`` met ``due``."""
    day = calendar.local_date(done)
    days = calendar.workdays_between(calendar.local_date(start), day) if start else 0
    return days, due is not None and day <= due


@tk.side_effect_free
def govdata_demand_figures(context: Context, data_dict: DataDict) -> dict[str, dict[str, Any]]:
    """Per department, the demands routed to it and how it handled them, in working days.
    Bureau staff only; the monitoring figures ask it with auth ignored, having decided who may
    see them.

    :returns: ``{organization_id: {"routed", "confirmed", "confirmed_on_time", "confirm_on_time_rate",
        "days_to_confirm", "provided", "provided_on_time", "provide_on_time_rate", "days_to_provide",
        "open", "overdue", "on_time_rate", "supporters"}}``: ``open`` counts the demands waiting on the
        department (to confirm, or accepted and to provide); a rate (``calendar.on_time_rate``) counts a
        step still waiting past its deadline against the department, and is None before its first case
    """
    tk.check_access("govdata_demand_figures", context, data_dict)
    today = calendar.today()
    grouped: dict[str, list[Demand]] = defaultdict(list)
    rows = model.Session.query(Demand).filter(Demand.organization_id.is_not(None), Demand.routed_at.is_not(None))
    for demand in rows:
        grouped[demand.organization_id or ""].append(demand)
    figures: dict[str, dict[str, Any]] = {}
    for organization_id, demands in grouped.items():
        # (days taken, on time) of each confirmation, and of each provision of data the
        # department had to provide (an "already open" answer is held to the confirmation only).
        confirmations = [_step(d.routed_at, d.confirmed_at, d.confirm_due) for d in demands if d.confirmed_at]
        provisions = [_step(d.routed_at, d.provided_at, d.provide_due) for d in demands
                      if d.state == workflow.PROVIDED and d.provided_at]
        confirmed_on_time = sum(on_time for _days, on_time in confirmations)
        provided_on_time = sum(on_time for _days, on_time in provisions)
        # Steps still waiting past their deadline: a confirmation while routed, a provision once accepted.
        late_confirm = sum(1 for d in demands if d.state == workflow.ROUTED and d.confirm_due and today > d.confirm_due)
        late_provide = sum(1 for d in demands if d.state == workflow.ACCEPTED and d.provide_due and today > d.provide_due)
        confirm_due = len(confirmations) + late_confirm
        provide_due = len(provisions) + late_provide
        figures[organization_id] = {
            "routed": len(demands),
            "confirmed": len(confirmations),
            "confirmed_on_time": confirmed_on_time,
            "confirm_on_time_rate": calendar.on_time_rate(confirmed_on_time, confirm_due),
            "days_to_confirm": calendar.mean_days([days for days, _on_time in confirmations]),
            "provided": len(provisions),
            "provided_on_time": provided_on_time,
            "provide_on_time_rate": calendar.on_time_rate(provided_on_time, provide_due),
            "days_to_provide": calendar.mean_days([days for days, _on_time in provisions]),
            "open": sum(1 for d in demands if d.state in (workflow.ROUTED, workflow.ACCEPTED)),
            "overdue": late_confirm + late_provide,
            "on_time_rate": calendar.on_time_rate(confirmed_on_time + provided_on_time, confirm_due + provide_due),
            "supporters": sum(d.supporters or 0 for d in demands),
        }
    return figures
