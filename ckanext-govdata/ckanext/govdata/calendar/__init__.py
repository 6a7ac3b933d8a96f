"""The calendar: the portal's local time zone and today, and the working-day calendar (工作日).

A core layer: it reads only CKAN and its own table, and every feature counts days through it.
"""
from __future__ import annotations

from ckanext.govdata.calendar.clock import day_starts_at, local_date, local_minute, local_zone, today, utcnow
from ckanext.govdata.calendar.model import list_overrides, overridden_years, remove_override, set_override
from ckanext.govdata.calendar.schedule import (
    MAX_SCHEDULE_BYTES,
    ScheduleError,
    import_schedule,
    parse_schedule,
    read_schedule,
    save_schedule,
    schedule_format,
)
from ckanext.govdata.calendar.timeliness import mean_days, on_time_rate
from ckanext.govdata.calendar.workdays import (
    add_workdays,
    is_workday,
    missing_schedule_years,
    package_knows,
    schedule_known,
    workdays_between,
)

__all__ = [
    "MAX_SCHEDULE_BYTES",
    "ScheduleError",
    "add_workdays",
    "day_starts_at",
    "import_schedule",
    "is_workday",
    "list_overrides",
    "local_date",
    "local_minute",
    "local_zone",
    "mean_days",
    "missing_schedule_years",
    "on_time_rate",
    "overridden_years",
    "package_knows",
    "parse_schedule",
    "read_schedule",
    "remove_override",
    "save_schedule",
    "schedule_format",
    "schedule_known",
    "set_override",
    "today",
    "utcnow",
    "workdays_between",
]
