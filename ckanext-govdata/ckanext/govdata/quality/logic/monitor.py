"""The quality figures for the monitoring page and the bulletins: pass rates per dimension,
dataset and department against the target, and their trend by day of run."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps, calendar, settings
from ckanext.govdata.quality import jobs
from ckanext.govdata.quality.figures import Tally
from ckanext.govdata.quality.logic.schema import figures_schema
from ckanext.govdata.quality.model import Result, Run

DEFAULT_DAYS = 90


def _latest_runs(organization_id: str | None, since: dt.datetime | None, per_day: bool) -> Any:
    """The last finished run of each dataset (of each dataset and day, with ``per_day``)."""
    day = sa.func.date(Run.finished)
    partition = (Run.package_id, day) if per_day else (Run.package_id,)
    query = model.Session.query(Run.id, Run.package_id, Run.organization_id, day.label("day")).filter(
        Run.state == jobs.DONE
    )
    if organization_id:
        query = query.filter(Run.organization_id == organization_id)
    if since is not None:
        query = query.filter(Run.finished >= since)
    return query.distinct(*partition).order_by(*partition, Run.finished.desc()).subquery()


@tk.side_effect_free
def govdata_quality_figures(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Pass rates of the latest checks of every dataset: overall, per dimension, per dataset and
    per department, each against the target (ckanext.govdata.quality.target), and the trend:
    the pass rate of the runs of each day.

    :param organization_id: one department only (its staff may ask for their own)
    :param days: how many days the trend goes back (90)
    """
    data = action_steps.validate(data_dict, figures_schema(), context)
    tk.check_access("govdata_quality_figures", context, data)
    target = settings.current().quality.target
    organization_id = data.get("organization_id")
    overall = Tally()
    dimensions: dict[str, Tally] = defaultdict(Tally)
    datasets: dict[str, Tally] = defaultdict(Tally)
    departments: dict[str, Tally] = defaultdict(Tally)
    latest = _latest_runs(organization_id, None, per_day=False)
    rows = model.Session.query(latest.c.package_id, latest.c.organization_id, Result.dimension,
                               sa.func.sum(Result.checked), sa.func.sum(Result.failed)).join(
        Result, Result.run_id == latest.c.id
    ).group_by(latest.c.package_id, latest.c.organization_id, Result.dimension)
    for package_id, department_id, dimension, checked, failed in rows:
        for tally in (overall, dimensions[dimension], datasets[package_id], departments[department_id or ""]):
            tally.add(int(checked or 0), int(failed or 0))
    since = calendar.utcnow() - dt.timedelta(days=int(data.get("days") or DEFAULT_DAYS))
    daily = _latest_runs(organization_id, since, per_day=True)
    trend = model.Session.query(daily.c.day, sa.func.sum(Result.checked), sa.func.sum(Result.failed)).join(
        Result, Result.run_id == daily.c.id
    ).group_by(daily.c.day).order_by(daily.c.day)
    return {
        "target": target,
        "overall": overall.as_dict(target),
        "dimensions": {name: tally.as_dict(target) for name, tally in sorted(dimensions.items())},
        "datasets": {name: tally.as_dict(target) for name, tally in datasets.items()},
        "departments": {name: tally.as_dict(target) for name, tally in departments.items() if name},
        "trend": [
            {"date": day.isoformat(), **Tally(int(checked or 0), int(failed or 0)).as_dict(target)}
            for day, checked, failed in trend
        ],
    }
