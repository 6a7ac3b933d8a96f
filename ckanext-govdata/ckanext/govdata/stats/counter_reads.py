"""Reading the published counts that ``counters`` keeps: a scope's headline figures, its
breakdowns, and how up to date each department's data is."""
from __future__ import annotations

import datetime as dt
import sys
from typing import Any

import sqlalchemy as sa
from ckan import model

from ckanext.govdata.stats.counters import API_TYPE, BREAKDOWNS, DATASET_TYPE, METRICS, PUBLIC, TOTAL
from ckanext.govdata.stats.model import Counter, KeyCount, PackageSnapshot


def figures(audience: str, scope: str, scope_key: str = "") -> dict[str, int]:
    """The headline figures of a scope: totals and how many departments, domains, classes."""
    counter, key_count = Counter.__table__, KeyCount.__table__
    totals = model.Session.execute(
        sa.select(*(counter.c[metric] for metric in METRICS)).where(
            counter.c.audience == audience,
            counter.c.scope == scope,
            counter.c.scope_key == scope_key,
            counter.c.dimension == TOTAL,
            counter.c.key == "",
        )
    ).first()
    result = dict(zip(METRICS, totals, strict=False)) if totals else dict.fromkeys(METRICS, 0)
    keys = dict(
        model.Session.execute(
            sa.select(key_count.c.dimension, key_count.c["keys"]).where(
                key_count.c.audience == audience, key_count.c.scope == scope, key_count.c.scope_key == scope_key
            )
        ).all()
    )
    result["departments"] = keys.get("department", 0)
    result["domains"] = keys.get("domain", 0)
    result["catalogue_classes"] = keys.get("catalogue_class", 0)
    result["resource_libraries"] = keys.get("resource_library", 0)
    return {name: int(value) for name, value in result.items()}


# Plain SQL: the window query is read on every page view, and SQLAlchemy spends longer
# building its cache key than PostgreSQL spends answering it.
BREAKDOWNS_QUERY = sa.text(
    f"""
    SELECT * FROM (
        SELECT dimension, key, {", ".join(METRICS)},
               row_number() OVER (PARTITION BY dimension ORDER BY packages DESC, key) AS rank
        FROM {Counter.__tablename__}
        WHERE audience = :audience AND scope = :scope AND scope_key = :scope_key
          AND dimension <> '{TOTAL}' AND packages > 0
    ) AS ranked
    WHERE rank <= :limit OR dimension = 'month'
    ORDER BY dimension, rank
    """
)


def breakdowns(audience: str, scope: str, scope_key: str, limit: int | None = None) -> dict[str, list[dict[str, Any]]]:
    """Every breakdown of a scope in one query: per dimension, the ``limit`` largest keys
    (months: all of them, in order)."""
    rows = model.Session.execute(
        BREAKDOWNS_QUERY,
        {"audience": audience, "scope": scope, "scope_key": scope_key, "limit": limit or sys.maxsize},
    ).mappings()
    result: dict[str, list[dict[str, Any]]] = {dimension: [] for dimension in BREAKDOWNS}
    for row in rows:
        result[row["dimension"]].append({"key": row["key"], **{metric: int(row[metric]) for metric in METRICS if metric not in ("showcases", "without_data")}})
    result["month"].sort(key=lambda row: row["key"])
    return result


def breakdown(audience: str, scope: str, scope_key: str, dimension: str, limit: int | None = None) -> list[dict[str, Any]]:
    """One breakdown: the keys of ``dimension`` in a scope, largest first (months in order)."""
    rows = breakdowns(audience, scope, scope_key)[dimension]
    return rows[:limit] if limit and dimension != "month" else rows


def _stale(today: dt.date) -> sa.ColumnElement[bool]:
    """Whether a snapshot's package is stale on ``today``: its last update is older than its
    update frequency allows (``max_age_days`` of the ``update_frequencies`` vocabulary);
    irregular ones never are."""
    from ckanext.govdata import vocabularies

    table = PackageSnapshot.__table__
    conditions = [
        sa.and_(table.c.update_frequency == entry["value"], table.c.last_updated < today - dt.timedelta(days=int(entry["max_age_days"])))
        for entry in vocabularies.entries("update_frequencies")
        if entry.get("max_age_days") is not None
    ]
    return sa.or_(*conditions) if conditions else sa.false()


def stale_packages(today: dt.date, department_ids: list[str] | None = None) -> list[dict[str, Any]]:
    """The published datasets and APIs overdue for an update on ``today`` (of ``department_ids``,
    or all), longest overdue first: package id, department, frequency, last update."""
    table = PackageSnapshot.__table__
    query = sa.select(table.c.package_id, table.c.owner_org, table.c.type, table.c.update_frequency,
                      table.c.last_updated).where(
        table.c.public.is_(True), table.c.type.in_((DATASET_TYPE, API_TYPE)), _stale(today)
    ).order_by(table.c.last_updated, table.c.package_id)
    if department_ids is not None:
        query = query.where(table.c.owner_org.in_(department_ids))
    return [dict(row._mapping) for row in model.Session.execute(query)]


def freshness_by_department(audience: str, today: dt.date) -> dict[str, dict[str, int]]:
    """Per department: datasets and APIs serving data, entries without data, and how many of
    all of them are stale (as ``stale_packages`` lists them) or on time.

    A package is stale when its last update is older than its update frequency allows
    (``max_age_days`` of the ``update_frequencies`` vocabulary); irregular ones never are.
    """
    table = PackageSnapshot.__table__
    counted = table.c.public if audience == PUBLIC else table.c.staff
    serving = table.c.serves_data.is_(True)
    stale = _stale(today)
    query = (
        sa.select(
            table.c.owner_org,
            sa.func.count().filter(serving, table.c.type == DATASET_TYPE).label("datasets"),
            sa.func.count().filter(serving, table.c.type == API_TYPE).label("apis"),
            sa.func.count().filter(stale).label("stale"),
            sa.func.count().filter(sa.not_(serving)).label("without_data"),
        )
        .where(counted.is_(True), table.c.type.in_((DATASET_TYPE, API_TYPE)), table.c.owner_org.is_not(None))
        .group_by(table.c.owner_org)
    )
    return {
        row.owner_org: {
            "datasets": row.datasets, "apis": row.apis, "stale": row.stale,
            "on_time": row.datasets + row.apis + row.without_data - row.stale, "without_data": row.without_data,
        }
        for row in model.Session.execute(query)
    }
