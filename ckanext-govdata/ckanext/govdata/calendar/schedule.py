"""Schedule files: a year's holidays and adjusted workdays as CSV or YAML, saved as overrides."""
from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterable
from typing import Any

import yaml

from ckanext.govdata.calendar.model import set_override

TRUE_WORDS = {"1", "true", "yes", "y", "workday", "work", "上班", "工作日", "是"}
FALSE_WORDS = {"0", "false", "no", "n", "holiday", "off", "rest", "休息", "休", "节假日", "否"}
# A year's schedule is a few kilobytes; anything far larger is a mistake or an attack.
MAX_SCHEDULE_BYTES = 1_048_576
SCHEDULE_SCALARS = (str, int, float, bool, dt.date)

Schedule = dict[dt.date, tuple[bool, str | None]]


class ScheduleError(ValueError):
    """A schedule file cannot be read; the message names the line."""


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


def parse_schedule(text: str, file_format: str, source: str = "schedule") -> Schedule:
    """The days of a CSV (``date,is_workday,note``) or YAML schedule; nothing is saved."""
    if "\x00" in text:
        raise ScheduleError(f"{source}: the file contains a NUL character")
    days: Schedule = {}
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


def read_schedule(path: str) -> Schedule:
    with open(path, encoding="utf-8-sig") as stream:
        return parse_schedule(stream.read(), schedule_format(path), path)


def save_schedule(days: Schedule) -> int:
    """Save days as overrides; returns how many. The caller commits."""
    for day, (flag, note) in sorted(days.items()):
        set_override(day, flag, note)
    return len(days)


def import_schedule(path: str) -> int:
    """Save every day of a schedule file as an override; returns the count. The caller commits."""
    return save_schedule(read_schedule(path))
