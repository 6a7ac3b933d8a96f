"""Download and data API call tracking.

A download or call costs one pipelined Redis round trip (``HINCRBY`` on a hash of pending
increments); ``flush`` moves the pending increments into PostgreSQL in one transaction: per
day, package, resource and caller (``govdata_stats_usage``) and per day and scope
(``govdata_stats_usage_daily``, what the figures read). It runs from cron (``ckan govdata stats
flush``) and, at most once per ``ckanext.govdata.stats.flush_interval``, from the request that
finds it due.
"""
from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.common import current_user
from ckan.lib import api_token
from ckan.lib.redis import connect_to_redis
from flask import has_request_context, request
from redis.exceptions import RedisError
from sqlalchemy.dialects.postgresql import insert

from ckanext.govdata import settings
from ckanext.govdata.calendar import today
from ckanext.govdata.stats import counters
from ckanext.govdata.stats.model import Usage, UsageDaily

log = logging.getLogger(__name__)

DOWNLOAD = "download"
API_CALL = "api_call"
KINDS = (DOWNLOAD, API_CALL)
ANONYMOUS = "anonymous"
SEPARATOR = "|"


def _key(name: str) -> str:
    return f"govdata:stats:{tk.config.get('ckan.site_id')}:{name}"


def caller() -> str:
    """Who is downloading or calling: the API token when one is used, else the user."""
    if not has_request_context() or not current_user.is_authenticated:
        return ANONYMOUS
    token = request.headers.get(tk.config.get("apitoken_header_name") or "Authorization", "")
    data = api_token.decode(token) if token else None
    if data and data.get("jti"):
        return f"token:{data['jti']}"
    return f"user:{current_user.id}"


def track(kind: str, package_id: str = "", resource_id: str = "") -> None:
    """Count one download or call; the package is found at flush time when not given."""
    options = settings.current().stats
    if not options.tracking:
        return
    field = SEPARATOR.join((today().isoformat(), kind, package_id, resource_id, caller()))
    interval = options.flush_interval
    try:
        pipeline = connect_to_redis().pipeline(transaction=False)
        pipeline.hincrby(_key("pending"), field, 1)
        pipeline.set(_key("flush-due"), "1", nx=True, ex=max(1, interval))
        _count, due = pipeline.execute()
    except RedisError as error:
        # Losing a count is better than failing the download that caused it.
        log.warning("usage not tracked (%s): %s", kind, error)
        return
    if due and interval > 0:
        flush()


def _claim_pending() -> list[str]:
    """Rename the pending hash so counting goes on while it is flushed; leftovers included."""
    redis = connect_to_redis()
    try:
        redis.rename(_key("pending"), _key(f"flushing:{uuid.uuid4().hex}"))
    except RedisError as error:
        if "no such key" not in str(error).lower():
            raise
    return [key.decode() if isinstance(key, bytes) else key for key in redis.scan_iter(match=_key("flushing:*"))]


def _parse(entries: dict[Any, Any]) -> dict[tuple[str, ...], int]:
    counts: dict[tuple[str, ...], int] = defaultdict(int)
    for field, value in entries.items():
        text = field.decode() if isinstance(field, bytes) else field
        parts = text.split(SEPARATOR)
        if len(parts) != 5 or parts[1] not in KINDS:
            log.warning("ignoring malformed usage entry %r", text)
            continue
        counts[tuple(parts)] += int(value)
    return counts


PACKAGES_OF_RESOURCES = sa.text(
    "SELECT r.id, r.package_id, p.owner_org FROM resource r JOIN package p ON p.id = r.package_id WHERE r.id IN :ids"
).bindparams(sa.bindparam("ids", expanding=True))
PACKAGES = sa.text(
    "SELECT p.id, p.owner_org, p.extras ->> 'domain' FROM package p WHERE p.id IN :ids"
).bindparams(sa.bindparam("ids", expanding=True))


def flush() -> int:
    """Write the pending increments to PostgreSQL; returns how many events were written."""
    redis = connect_to_redis()
    written = 0
    for key in _claim_pending():
        counts = _parse(redis.hgetall(key))
        with model.meta.engine.begin() as connection:
            written += _write(connection, counts)
        # Deleted only once written: a failed flush leaves the hash for the next one.
        redis.delete(key)
    return written


def _write(connection: sa.Connection, counts: dict[tuple[str, ...], int]) -> int:
    resource_ids = sorted({resource for _day, _kind, package, resource, _caller in counts if resource and not package})
    owners = {row[0]: row[1] for row in connection.execute(PACKAGES_OF_RESOURCES, {"ids": resource_ids})} if resource_ids else {}
    detail: dict[tuple[Any, ...], int] = defaultdict(int)
    for (day, kind, package_id, resource_id, who), count in counts.items():
        package_id = package_id or owners.get(resource_id, "")
        detail[(dt.date.fromisoformat(day), kind, package_id, resource_id, who)] += count
    package_ids = sorted({key[2] for key in detail if key[2]})
    packages = {row[0]: (row[1] or "", row[2] or "") for row in connection.execute(PACKAGES, {"ids": package_ids})} if package_ids else {}

    rows: list[Any] = []
    daily: defaultdict[Any, int] = defaultdict(int)
    for (day, kind, package_id, resource_id, who), count in sorted(detail.items()):
        department_id, domain = packages.get(package_id, ("", ""))
        rows.append(
            {"day": day, "kind": kind, "package_id": package_id, "resource_id": resource_id, "caller": who, "department_id": department_id, "count": count}
        )
        daily[(counters.SITE, "", kind, day)] += count
        if department_id:
            daily[(counters.DEPARTMENT, department_id, kind, day)] += count
        if domain:
            daily[(counters.DOMAIN, domain, kind, day)] += count
    if not rows:
        return 0
    usage = Usage.__table__
    statement = insert(usage).values(rows)
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[usage.c.day, usage.c.kind, usage.c.package_id, usage.c.resource_id, usage.c.caller],
            set_={"count": usage.c["count"] + statement.excluded["count"], "department_id": statement.excluded.department_id},
        )
    )
    table = UsageDaily.__table__
    statement = insert(table).values(
        [{"scope": scope, "scope_key": key, "kind": kind, "day": day, "count": count} for (scope, key, kind, day), count in sorted(daily.items())]
    )
    connection.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.scope, table.c.scope_key, table.c.kind, table.c.day],
            set_={"count": table.c["count"] + statement.excluded["count"]},
        )
    )
    return sum(counts.values())


def write_calls(connection: sa.Connection, calls: list[tuple[dt.date, str, str]]) -> int:
    """Count data API calls read from the call ledger (day, package id, caller) in the same
    tables as tracked events: the ledger's flush calls this, in its own transaction."""
    counts: dict[tuple[str, ...], int] = defaultdict(int)
    for day, package_id, who in calls:
        counts[(day.isoformat(), API_CALL, package_id, "", who)] += 1
    return _write(connection, counts) if counts else 0


def totals(scope: str, scope_key: str, recent_days: int) -> dict[str, dict[str, int]]:
    """Downloads and calls of a scope: in the last ``recent_days`` days and all time."""
    table = UsageDaily.__table__
    since = today() - dt.timedelta(days=recent_days - 1)
    query = (
        sa.select(
            table.c.kind,
            sa.func.coalesce(sa.func.sum(table.c["count"]).filter(table.c.day >= since), 0),
            sa.func.sum(table.c["count"]),
        )
        .where(table.c.scope == scope, table.c.scope_key == scope_key)
        .group_by(table.c.kind)
    )
    result = {kind: {"recent": 0, "all_time": 0} for kind in KINDS}
    for kind, recent, all_time in model.Session.execute(query):
        result[kind] = {"recent": int(recent), "all_time": int(all_time)}
    return result


def series(scope: str, scope_key: str, days: int) -> dict[str, list[dict[str, Any]]]:
    """Per day of the last ``days`` days (every day listed, zero when quiet), per kind."""
    table = UsageDaily.__table__
    first = today() - dt.timedelta(days=days - 1)
    counts = {
        (kind, day): int(count)
        for kind, day, count in model.Session.execute(
            sa.select(table.c.kind, table.c.day, table.c["count"]).where(
                table.c.scope == scope, table.c.scope_key == scope_key, table.c.day >= first
            )
        )
    }
    dates = [first + dt.timedelta(days=offset) for offset in range(days)]
    return {kind: [{"day": day.isoformat(), "count": counts.get((kind, day), 0)} for day in dates] for kind in KINDS}


def by_department(recent_days: int) -> dict[str, dict[str, dict[str, int]]]:
    """Every department's downloads and calls (recent and all time), for the monitor."""
    table = UsageDaily.__table__
    since = today() - dt.timedelta(days=recent_days - 1)
    result: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: {kind: {"recent": 0, "all_time": 0} for kind in KINDS})
    query = (
        sa.select(
            table.c.scope_key,
            table.c.kind,
            sa.func.coalesce(sa.func.sum(table.c["count"]).filter(table.c.day >= since), 0),
            sa.func.sum(table.c["count"]),
        )
        .where(table.c.scope == counters.DEPARTMENT)
        .group_by(table.c.scope_key, table.c.kind)
    )
    for department_id, kind, recent, all_time in model.Session.execute(query):
        result[department_id][kind] = {"recent": int(recent), "all_time": int(all_time)}
    return result
