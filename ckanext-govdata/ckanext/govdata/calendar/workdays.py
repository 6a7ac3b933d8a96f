"""Counting working days (工作日): statutory holidays and adjusted weekend workdays (调休).

Every time limit of the portal is counted here. The ``chinese-calendar`` package knows the
State Council's schedule up to the year of its release; staff enter later years (or correct
any day) as overrides (``calendar.model``), by hand or by importing a file (``calendar.schedule``).
A year that neither knows falls back to Monday–Friday, and ``schedule_known`` tells the
monitoring page to warn that the new year's schedule is missing.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import chinese_calendar

from ckanext.govdata.calendar.clock import today
from ckanext.govdata.calendar.model import overridden_years, overrides_between


def package_knows(year: int) -> bool:
    try:
        chinese_calendar.is_workday(dt.date(year, 6, 1))
    except NotImplementedError:
        return False
    return True


def schedule_known(year: int) -> bool:
    """Whether ``year``'s holidays are known (package or imported overrides), not guessed."""
    return package_knows(year) or year in overridden_years()


def missing_schedule_years() -> list[int]:
    """This year and the next when their holidays are unknown: the monitoring page warns."""
    year = today().year
    return [candidate for candidate in (year, year + 1) if not schedule_known(candidate)]


def _default(day: dt.date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def _calendar(start: dt.date, end: dt.date) -> Iterator[tuple[dt.date, bool]]:
    overrides = overrides_between(start, end)
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
