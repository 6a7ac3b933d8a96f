"""Staff keep the working-day calendar: overrides by hand, schedules imported from a file."""
from __future__ import annotations

import datetime as dt
import io

import pytest
from ckan.cli.cli import ckan

from ckanext.govdata import calendar
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "with_plugins")

SCHEDULE_2027 = (
    "date,is_workday,note\n"
    "2027-10-01..2027-10-07,false,国庆节\n"
    "2027-09-26,true,国庆节调休\n"
).encode()


def _headers(user):
    return {"Authorization": user["token"]}


def test_anyone_can_see_whether_a_year_is_known(app):
    unknown = app.get("/api/3/action/govdata_workday_calendar_show", query_string={"year": 2027}).json["result"]
    known = app.get("/api/3/action/govdata_workday_calendar_show", query_string={"year": 2026}).json["result"]
    bad = app.get("/api/3/action/govdata_workday_calendar_show", query_string={"year": "next"}, status=409)

    assert (unknown["known"], unknown["source"]) == (False, "fallback")
    assert (known["known"], known["source"]) == (True, "package")
    assert "year" in bad.json["error"]


def test_staff_import_next_years_schedule_from_the_calendar_page(app):
    sysadmin = factories.sysadmin()
    before = app.get("/access/calendar", query_string={"year": 2027}, headers=_headers(sysadmin)).body

    app.post(
        "/access/calendar", query_string={"year": 2027}, headers=_headers(sysadmin),
        data={"operation": "import", "upload": (io.BytesIO(SCHEDULE_2027), "2027.csv")},
        content_type="multipart/form-data",
    )
    after = app.get("/access/calendar", query_string={"year": 2027}, headers=_headers(sysadmin)).body

    assert "govdata-calendar-warning" in before
    assert "govdata-calendar-warning" not in after and "国庆节调休" in after
    assert calendar.add_workdays(dt.date(2027, 9, 30), 1) == dt.date(2027, 10, 8)


def test_a_bad_schedule_is_refused_with_the_line_named(app):
    sysadmin = factories.sysadmin()

    page = app.post(
        "/access/calendar", headers=_headers(sysadmin),
        data={"operation": "import", "upload": (io.BytesIO(b"date,is_workday\n2027-02-30,false\n"), "bad.csv")},
        content_type="multipart/form-data",
    ).body

    assert "line 2" in page and "日程文件" in page
    assert calendar.list_overrides() == []


def test_staff_set_and_remove_a_single_day(app):
    sysadmin = factories.sysadmin()

    app.post("/access/calendar", headers=_headers(sysadmin),
             data={"operation": "set", "day": "2026-12-31", "is_workday": "false", "note": "临时调休"})
    set_day = calendar.is_workday(dt.date(2026, 12, 31))
    app.post("/access/calendar", headers=_headers(sysadmin), data={"operation": "delete", "day": "2026-12-31"})

    assert set_day is False
    assert calendar.is_workday(dt.date(2026, 12, 31)) is True


def test_only_the_bureau_changes_the_calendar(app):
    user = factories.user()

    app.get("/access/calendar", headers=_headers(user), status=403)
    app.post("/api/3/action/govdata_workday_override_set", json={"day": "2027-01-04", "is_workday": False},
             headers=_headers(user), status=403)
    assert calendar.list_overrides() == []


def test_the_calendar_commands(cli, tmp_path):
    schedule = tmp_path / "2027.csv"
    schedule.write_bytes(SCHEDULE_2027)

    before = cli.invoke(ckan, ["govdata-access", "calendar", "status", "2026", "2027"])
    imported = cli.invoke(ckan, ["govdata-access", "calendar", "import", str(schedule)])
    after = cli.invoke(ckan, ["govdata-access", "calendar", "status", "2027"])
    listed = cli.invoke(ckan, ["govdata-access", "calendar", "list", "--year", "2027"])

    assert "2026: chinese-calendar" in before.output and "2027: UNKNOWN" in before.output
    assert imported.exit_code == 0 and "8 days imported" in imported.output
    assert "2027: overrides" in after.output
    assert "2027-09-26\tworkday\t国庆节调休" in listed.output
