"""The portal's clock: one local time zone and one "today" for every deadline, phase and counter.

CKAN stores naive UTC timestamps; days are counted in ``ckan.display_timezone``. Statutory
working days follow Beijing time, so a zone left unset (CKAN then says ``UTC``) or ``server``
counts as Asia/Shanghai rather than whatever zone the server happens to run in.
"""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import ckan.plugins.toolkit as tk

DEFAULT_ZONE = "Asia/Shanghai"
# Values of ckan.display_timezone that name no zone of the portal's own.
UNSET_ZONES = ("", "server", "UTC")


def local_zone() -> ZoneInfo:
    name = str(tk.config.get("ckan.display_timezone") or "").strip()
    return ZoneInfo(DEFAULT_ZONE if name in UNSET_ZONES else name)


def today() -> dt.date:
    return dt.datetime.now(local_zone()).date()


def utcnow() -> dt.datetime:
    """Naive UTC, as CKAN's own tables store timestamps."""
    return dt.datetime.now(dt.UTC).replace(tzinfo=None)


def local_date(moment: dt.datetime) -> dt.date:
    """The local date of a naive-UTC timestamp as CKAN stores them."""
    return moment.replace(tzinfo=dt.UTC).astimezone(local_zone()).date()


def local_minute(moment: dt.datetime) -> str:
    """A naive-UTC timestamp as local ``YYYY-MM-DD HH:MM`` for people to read."""
    return moment.replace(tzinfo=dt.UTC).astimezone(local_zone()).strftime("%Y-%m-%d %H:%M")


def day_starts_at(day: dt.date) -> dt.datetime:
    """The naive-UTC moment the local ``day`` begins (to filter stored timestamps by local dates)."""
    return dt.datetime.combine(day, dt.time(), local_zone()).astimezone(dt.UTC).replace(tzinfo=None)
