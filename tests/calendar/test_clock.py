"""One local time zone and one today, from ckan.display_timezone (Beijing when it names none)."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from ckanext.govdata import calendar


@pytest.mark.ckan_config("ckan.display_timezone", "Asia/Shanghai")
def test_today_is_the_local_date():
    with freeze_time("2026-09-30 17:00:00"):
        assert calendar.today() == dt.date(2026, 10, 1)


@pytest.mark.parametrize("zone", ["", "server", "UTC"])
def test_a_zone_left_unset_counts_as_beijing(zone, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckan.display_timezone", zone)

    assert calendar.local_zone() == ZoneInfo("Asia/Shanghai")


@pytest.mark.ckan_config("ckan.display_timezone", "Europe/Zurich")
def test_a_configured_zone_is_used():
    with freeze_time("2026-09-30 23:30:00"):
        assert calendar.local_zone() == ZoneInfo("Europe/Zurich")
        assert calendar.today() == dt.date(2026, 10, 1)


@pytest.mark.ckan_config("ckan.display_timezone", "Asia/Shanghai")
def test_stored_utc_times_read_as_local_dates_and_minutes():
    moment = dt.datetime(2026, 9, 30, 16, 30)

    assert calendar.local_date(moment) == dt.date(2026, 10, 1)
    assert calendar.local_minute(moment) == "2026-10-01 00:30"
    assert calendar.day_starts_at(dt.date(2026, 10, 1)) == dt.datetime(2026, 9, 30, 16, 0)
