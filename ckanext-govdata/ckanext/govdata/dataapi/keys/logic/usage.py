"""Usage of the data APIs from the call ledger (``govdata_api_call``): per application, API
and local day — calls, errors (status 400 and over), rows, p50 and p95 latency.

A developer sees the calls of their own applications; a department the calls of its own APIs
(``organization_id``), sysadmins any. Calls still waiting in Redis appear after the next flush.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps, calendar
from ckanext.govdata.dataapi.keys.logic import schema
from ckanext.govdata.dataapi.keys.model import ApiCall, App
from ckanext.govdata.open_condition import Viewer

COLUMNS = ("day", "app", "api", "calls", "errors", "rows", "p50_ms", "p95_ms")
MAX_DAYS = 366


def _rows(filters: list[Any], date_from: dt.date | None, date_to: dt.date | None) -> list[dict[str, Any]]:
    to_day = date_to or calendar.today()
    from_day = date_from or to_day - dt.timedelta(days=29)
    from_day = max(from_day, to_day - dt.timedelta(days=MAX_DAYS))
    local = sa.func.timezone(str(calendar.local_zone()), sa.func.timezone("UTC", ApiCall.called_at))
    day = sa.cast(local, sa.Date).label("day")
    query = (
        sa.select(
            day, sa.func.coalesce(App.name, "").label("app"), ApiCall.api,
            sa.func.count().label("calls"),
            sa.func.count().filter(ApiCall.status >= 400).label("errors"),
            sa.func.coalesce(sa.func.sum(ApiCall.rows), 0).label("rows"),
            sa.func.percentile_cont(0.5).within_group(ApiCall.latency_ms).label("p50_ms"),
            sa.func.percentile_cont(0.95).within_group(ApiCall.latency_ms).label("p95_ms"),
        )
        .select_from(ApiCall)
        .outerjoin(App, App.id == ApiCall.app_id)
        .where(ApiCall.called_at >= calendar.day_starts_at(from_day),
               ApiCall.called_at < calendar.day_starts_at(to_day + dt.timedelta(days=1)), *filters)
        .group_by(day, App.name, ApiCall.api)
        .order_by(day.desc(), App.name, ApiCall.api)
    )
    return [
        {"day": row.day.isoformat(), "app": row.app, "api": row.api, "calls": row.calls, "errors": row.errors,
         "rows": int(row.rows), "p50_ms": round(float(row.p50_ms), 1), "p95_ms": round(float(row.p95_ms), 1)}
        for row in model.Session.execute(query)
    ]


def govdata_app_usage(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The caller's calls, per application, API and day (one application with ``id``).

    :param id: an application (optional; default all of the caller's)
    :param date_from: first local day (default 29 days before ``date_to``)
    :param date_to: last local day (default today)
    """
    data = action_steps.validate(data_dict, schema.usage_schema(), context)
    tk.check_access("govdata_app_usage", context, data)
    if data.get("id"):
        filters = [ApiCall.app_id == data["id"]]
    else:
        viewer = Viewer.from_context(context)
        filters = [ApiCall.app_id.in_(sa.select(App.id).where(App.user_id == viewer.user_id))]
    return _rows(filters, data.get("date_from"), data.get("date_to"))


def govdata_api_usage(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Calls of a department's APIs, per application, API and day, whoever called.

    :param organization_id: the department (required but for sysadmins, who may omit it: all)
    """
    data = action_steps.validate(data_dict, schema.usage_schema(), context)
    tk.check_access("govdata_api_usage", context, data)
    filters = []
    if data.get("organization_id"):
        organization = model.Group.get(data["organization_id"])
        owned = sa.select(model.Package.id).where(model.Package.owner_org == (organization.id if organization else ""))
        filters.append(ApiCall.package_id.in_(owned))
    return _rows(filters, data.get("date_from"), data.get("date_to"))
