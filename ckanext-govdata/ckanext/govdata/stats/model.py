"""Tables of the published counts and of download / API-call tracking.

Created by the alembic migrations in ``migration/govdata_stats``. Only ``counters`` (the
catalogue figures) and ``stats.usage`` (downloads and calls) write them.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from ckan.model.base import BaseModel
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column


class PackageSnapshot(BaseModel):
    """What one package currently adds to the counters.

    An update subtracts the old snapshot's contribution and adds the new one, so the
    counters stay exact without rescanning the catalogue.
    """

    __tablename__ = "govdata_stats_package"

    package_id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    type: Mapped[str] = mapped_column(sa.UnicodeText)
    # Counted in public figures (active, public, listed) / in staff figures (active or draft).
    public: Mapped[bool] = mapped_column(sa.Boolean)
    staff: Mapped[bool] = mapped_column(sa.Boolean)
    owner_org: Mapped[str | None] = mapped_column(sa.UnicodeText, index=True)
    domain: Mapped[str | None] = mapped_column(sa.UnicodeText)
    catalogue_class: Mapped[str | None] = mapped_column(sa.UnicodeText)
    resource_library: Mapped[str | None] = mapped_column(sa.UnicodeText)
    open_condition: Mapped[str | None] = mapped_column(sa.UnicodeText)
    formats: Mapped[list[str]] = mapped_column(ARRAY(sa.UnicodeText), default=list)
    issued_month: Mapped[str | None] = mapped_column(sa.UnicodeText)
    data_items: Mapped[int] = mapped_column(sa.Integer, default=0)
    records: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    # True when ``records`` was counted in the datastore, False when it is the declared count.
    records_measured: Mapped[bool] = mapped_column(sa.Boolean, default=False)
    update_frequency: Mapped[str | None] = mapped_column(sa.UnicodeText)
    last_updated: Mapped[dt.date | None] = mapped_column(sa.Date)
    # catalogue.serves_data: an entry that serves no data adds only to ``without_data``.
    serves_data: Mapped[bool] = mapped_column(sa.Boolean, default=True)


class DatastoreTable(BaseModel):
    """Exact row count of a resource's datastore table, refreshed on every datastore write."""

    __tablename__ = "govdata_stats_datastore_table"

    resource_id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, index=True)
    rows: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class Counter(BaseModel):
    """Sums over the packages of one audience in one scope, for one breakdown key.

    ``scope`` is site / domain / department (``scope_key`` '' / domain value / organization
    id); ``dimension`` is ``total`` (``key`` '') or the field broken down by.
    """

    __tablename__ = "govdata_stats_counter"

    audience: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    scope: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    scope_key: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    dimension: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    key: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    packages: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    datasets: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    apis: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    showcases: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    data_items: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    records: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    declared_records: Mapped[int] = mapped_column(sa.BigInteger, default=0)
    # Entries that serve no data (counted in nothing else; dimension ``total`` only).
    without_data: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class KeyCount(BaseModel):
    """How many keys of a dimension have packages in a scope (departments publishing …)."""

    __tablename__ = "govdata_stats_key_count"

    audience: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    scope: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    scope_key: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    dimension: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    keys: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class Usage(BaseModel):
    """Downloads and data API calls per day, package, resource and caller."""

    __tablename__ = "govdata_stats_usage"

    day: Mapped[dt.date] = mapped_column(sa.Date, primary_key=True)
    kind: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    package_id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    resource_id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    caller: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    department_id: Mapped[str] = mapped_column(sa.UnicodeText, index=True)
    count: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class UsageDaily(BaseModel):
    """Daily totals of ``Usage`` per scope, so figures read a few rows whatever the traffic."""

    __tablename__ = "govdata_stats_usage_daily"

    scope: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    scope_key: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    kind: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    day: Mapped[dt.date] = mapped_column(sa.Date, primary_key=True)
    count: Mapped[int] = mapped_column(sa.BigInteger, default=0)


class Bulletin(BaseModel):
    """A weekly bulletin (一周一通报: every department ranked, ``department_id`` '') or a
    department's daily notice (一日一告知), as generated by ``stats.bulletins``: one per kind,
    period and department, replaced when generated again."""

    __tablename__ = "govdata_bulletin"
    __table_args__ = (sa.UniqueConstraint("kind", "period_start", "department_id"),)

    id: Mapped[str] = mapped_column(sa.UnicodeText, primary_key=True)
    kind: Mapped[str] = mapped_column(sa.UnicodeText)
    period_start: Mapped[dt.date] = mapped_column(sa.Date)
    period_end: Mapped[dt.date] = mapped_column(sa.Date)
    department_id: Mapped[str] = mapped_column(sa.UnicodeText, index=True)
    generated_at: Mapped[dt.datetime] = mapped_column(sa.DateTime)
    content: Mapped[dict[str, Any]] = mapped_column(JSONB)
    # When its staff were mailed (a daily notice with something open); a regenerated notice is not mailed again.
    mailed_at: Mapped[dt.datetime | None] = mapped_column(sa.DateTime, nullable=True)
