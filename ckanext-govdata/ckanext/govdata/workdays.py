"""The working-day calendar (工作日): statutory holidays and adjusted weekend workdays (调休).

Every time limit of the portal is counted here. The ``chinese-calendar`` package knows the
State Council's schedule up to the year of its release; staff enter later years (or correct
any day) in the ``govdata_workday_override`` table, by hand or by importing a file. A year that
neither knows falls back to Monday–Friday, and ``schedule_known`` tells the monitoring page to
warn that the new year's schedule is missing.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterable, Iterator
from typing import Any
from zoneinfo import ZoneInfo

import chinese_calendar
import yaml
from ckan import model

from ckanext.govdata.access.model import WorkdayOverride

# Statutory days follow Beijing time whatever the server's zone is.
CHINA = ZoneInfo("Asia/Shanghai")
TRUE_WORDS = {"1", "true", "yes", "y", "workday", "work", "上班", "工作日", "是"}
FALSE_WORDS = {"0", "false", "no", "n", "holiday", "off", "rest", "休息", "休", "节假日", "否"}
# A year's schedule is a few kilobytes; anything far larger is a mistake or an attack.
MAX_SCHEDULE_BYTES = 1_048_576
SCHEDULE_SCALARS = (str, int, float, bool, dt.date)


class ScheduleError(ValueError):
    """A schedule file cannot be read; the message names the line."""


def today() -> dt.date:
    return dt.datetime.now(CHINA).date()


def local_date(moment: dt.datetime) -> dt.date:
    """The Beijing date of a naive-UTC timestamp as CKAN stores them."""
    return moment.replace(tzinfo=dt.UTC).astimezone(CHINA).date()


def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def overridden_years() -> set[int]:
    rows = model.Session.query(WorkdayOverride.day).all()
    return {row.day.year for row in rows}


def schedule_known(year: int) -> bool:
    """Whether ``year``'s holidays are known (package or imported overrides), not guessed."""
    return package_knows(year) or year in overridden_years()


def missing_schedule_years() -> list[int]:
    """This year and the next when their holidays are unknown: the monitoring page warns."""
    year = today().year
    return [candidate for candidate in (year, year + 1) if not schedule_known(candidate)]


def _overrides(start: dt.date, end: dt.date) -> dict[dt.date, bool]:
    rows = (
        model.Session.query(WorkdayOverride.day, WorkdayOverride.is_workday)
        .filter(WorkdayOverride.day >= start, WorkdayOverride.day <= end)
        .all()
    )
    return {row.day: row.is_workday for row in rows}


def _default(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def _calendar(start: dt.date, end: dt.date) -> Iterator[tuple[dt.date, bool]]:
    overrides = _overrides(start, end)
    day = start
    while day <= end:
        yield day, overrides.get(day, _default(day))
        day += dt.timedelta(days=1)


def is_workday(day: dt.date) -> bool:
    return next(_calendar(day, day))[1]


def add_workdays(start: dt.date, count: int) -> dt.date:
    """The ``count``-th working day after ``start`` (``start`` itself never counts)."""
    if count < 1:
        return start
    # Long holidays stretch the window; the longest (Spring Festival) stays well inside 3×+30.
    window_end = start + dt.timedelta(days=count * 3 + 30)
    remaining = count
    for day, working in _calendar(start + dt.timedelta(days=1), window_end):
        if working:
            remaining -= 1
            if remaining == 0:
                return day
    return add_workdays(window_end, remaining)


def workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end`` <= ``start``)."""
    if end <= start:
        return 0
    return sum(1 for _day, working in _calendar(start + dt.timedelta(days=1), end) if working)


def set_override(day: dt.date, is_workday: bool, note: str | None = None) -> None:
    """Record one day's status; the caller commits."""
    override = model.Session.get(WorkdayOverride, day)
    if override is None:
        override = WorkdayOverride(day=day)
        model.Session.add(override)
    override.is_workday = is_workday
    override.note = note


def remove_override(day: dt.date) -> bool:
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


def _parse_flag(value: Any, where: str) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise ScheduleError(f"{where}: is_workday must be true/false (or 上班/休息), got {value!r}")


def _parse_days(value: Any, where: str) -> list[dt.date]:
    """A date, or an inclusive range written ``2027-10-01..2027-10-07``."""
    if isinstance(value, dt.date):
        return [value]
    text = str(value).strip()
    first, _sep, last = text.partition("..")
    try:
        start = dt.date.fromisoformat(first.strip())
        end = dt.date.fromisoformat(last.strip()) if last else start
    except ValueError:
        raise ScheduleError(f"{where}: not a date or date range: {text!r}") from None
    if end < start or (end - start).days > 60:
        raise ScheduleError(f"{where}: range must run forwards and span at most 60 days: {text!r}")
    return [start + dt.timedelta(days=offset) for offset in range((end - start).days + 1)]


def _rows(text: str, file_format: str, source: str) -> Iterable[tuple[str, dict[str, Any]]]:
    if file_format == "yaml":
        try:
            data = yaml.safe_load(text) or []
        except (yaml.YAMLError, RecursionError) as error:
            raise ScheduleError(f"{source}: not valid YAML: {str(error)[:200]}") from None
        if not isinstance(data, list):
            raise ScheduleError(f"{source}: expected a list of {{date, is_workday, note}} entries")
        for number, entry in enumerate(data, start=1):
            # Values must be plain: aliases to nested lists ("billion laughs") would explode in str().
            if not isinstance(entry, dict) or not all(
                value is None or isinstance(value, SCHEDULE_SCALARS) for value in entry.values()
            ):
                raise ScheduleError(f"{source} entry {number}: expected a mapping of plain values")
            yield f"{source} entry {number}", entry
        return
    try:
        reader = csv.DictReader(io.StringIO(text))
        if not reader.fieldnames or not {"date", "is_workday"} <= {name.strip() for name in reader.fieldnames}:
            raise ScheduleError(f"{source}: the CSV header must name the columns date,is_workday[,note]")
        for number, row in enumerate(reader, start=2):
            yield f"{source} line {number}", {key.strip(): value for key, value in row.items() if key}
    except csv.Error as error:
        raise ScheduleError(f"{source}: not valid CSV: {error}") from None


def parse_schedule(text: str, file_format: str, source: str = "schedule") -> dict[dt.date, tuple[bool, str | None]]:
    """The days of a CSV (``date,is_workday,note``) or YAML schedule; nothing is saved."""
    if "\x00" in text:
        raise ScheduleError(f"{source}: the file contains a NUL character")
    days: dict[dt.date, tuple[bool, str | None]] = {}
    for where, entry in _rows(text.lstrip("\ufeff"), file_format, source):
        if "date" not in entry or "is_workday" not in entry:
            raise ScheduleError(f"{where}: date and is_workday are required")
        flag = _parse_flag(entry["is_workday"], where)
        note = (str(entry.get("note") or "").strip()) or None
        for day in _parse_days(entry["date"], where):
            days[day] = (flag, note)
    if not days:
        raise ScheduleError(f"{source}: no days in the file")
    return days


def schedule_format(filename: str) -> str:
    return "yaml" if os.path.splitext(filename)[1].lower() in (".yaml", ".yml") else "csv"


def read_schedule(path: str) -> dict[dt.date, tuple[bool, str | None]]:
    with open(path, encoding="utf-8-sig") as stream:
        return parse_schedule(stream.read(), schedule_format(path), path)


def save_schedule(days: dict[dt.date, tuple[bool, str | None]]) -> int:
    """Save days as overrides in one transaction; returns how many."""
    try:
        for day, (flag, note) in sorted(days.items()):
            set_override(day, flag, note)
        model.Session.commit()
    except Exception:
        model.Session.rollback()
        raise
    return len(days)


def import_schedule(path: str) -> int:
    """Save every day of a schedule file as an override; returns the count."""
    return save_schedule(read_schedule(path))
