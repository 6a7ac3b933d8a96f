"""Days whose working status staff set by hand, and the queries on them.

The table ``govdata_workday_override`` is created by the ``govdata_access`` migrations.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from ckan import model
from ckan.model.base import BaseModel
from sqlalchemy.orm import Mapped, mapped_column

from ckanext.govdata.calendar.clock import utcnow


class WorkdayOverride(BaseModel):
    """A day whose working/non-working status staff set by hand (next year's State Council schedule)."""

    __tablename__ = "govdata_workday_override"

    day: Mapped[dt.date] = mapped_column(sa.Date, primary_key=True)
    is_workday: Mapped[bool] = mapped_column(sa.Boolean)
    note: Mapped[str | None] = mapped_column(sa.UnicodeText)
    modified: Mapped[dt.datetime] = mapped_column(sa.DateTime, default=utcnow, onupdate=utcnow)


def overridden_years() -> set[int]:
    rows = model.Session.query(WorkdayOverride.day).all()
    return {row.day.year for row in rows}


def overrides_between(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    rows = (
        model.Session.query(WorkdayOverride.day, WorkdayOverride.is_workday)
        .filter(WorkdayOverride.day >= start, WorkdayOverride.day <= end)
        .all()
    )
    return {row.day: row.is_workday for row in rows}


def set_override(day: dt.date, is_workday: bool, note: str | None = None) -> None:
    """Record one day's status; the caller commits."""
    override = model.Session.get(WorkdayOverride, day)
    if override is None:
        override = WorkdayOverride(day=day)
        model.Session.add(override)
    override.is_workday = is_workday
    override.note = note


def remove_override(day: dt.date) -> bool:
    """Forget one day's status; the caller commits."""
    override = model.Session.get(WorkdayOverride, day)
    if override is None:
        return False
    model.Session.delete(override)
    return True


def list_overrides(year: int | None = None) -> list[dict[str, Any]]:
    query = model.Session.query(WorkdayOverride).order_by(WorkdayOverride.day)
    if year:
        query = query.filter(
            WorkdayOverride.day >= dt.date(year, 1, 1), WorkdayOverride.day <= dt.date(year, 12, 31)
        )
    return [
        {"day": row.day.isoformat(), "is_workday": row.is_workday, "note": row.note or ""}
        for row in query
    ]
