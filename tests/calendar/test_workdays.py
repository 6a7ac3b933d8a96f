"""The working-day calendar: chinese-calendar's 2026 schedule, and overrides for years it lacks."""
from __future__ import annotations

import datetime as dt

import pytest
from ckan import model

from ckanext.govdata import calendar

pytestmark = pytest.mark.usefixtures("clean_db", "with_plugins")

D = dt.date


def test_national_day_2026_follows_the_state_council_schedule_in_chinese_calendar():
    # chinese-calendar 1.11.0: Mid-autumn Sep 25–27, National Day Oct 1–7, adjusted
    # workdays Sunday Sep 20 and Saturday Oct 10; Thursday Oct 8 is an ordinary workday.
    assert [calendar.is_workday(D(2026, 10, day)) for day in range(1, 12)] == [
        False, False, False, False, False, False, False, True, True, True, False,
    ]
    assert calendar.is_workday(D(2026, 9, 20))
    assert not calendar.is_workday(D(2026, 9, 25))


@pytest.mark.parametrize(
    ("start", "count", "due"),
    [
        (D(2026, 9, 30), 3, D(2026, 10, 10)),  # Oct 8, 9 and the adjusted Saturday Oct 10
        (D(2026, 9, 30), 10, D(2026, 10, 20)),
        (D(2026, 9, 18), 1, D(2026, 9, 20)),  # the adjusted Sunday counts
        (D(2026, 9, 24), 3, D(2026, 9, 30)),  # skips Mid-autumn Sep 25–27
        (D(2026, 11, 27), 3, D(2026, 12, 2)),  # an ordinary weekend
    ],
)
def test_deadlines_count_working_days_after_the_start(start, count, due):
    assert calendar.add_workdays(start, count) == due


def test_working_days_between_two_dates_across_the_holiday():
    assert calendar.workdays_between(D(2026, 9, 30), D(2026, 10, 9)) == 2
    assert calendar.workdays_between(D(2026, 9, 30), D(2026, 9, 30)) == 0
    assert calendar.workdays_between(D(2026, 9, 28), D(2026, 10, 12)) == 6


def test_2027_falls_back_to_monday_to_friday_and_says_so():
    assert not calendar.package_knows(2027)
    assert not calendar.schedule_known(2027)
    # Friday Oct 1 2027 (National Day) still counts until the schedule is imported.
    assert calendar.add_workdays(D(2027, 9, 30), 1) == D(2027, 10, 1)
    assert calendar.add_workdays(D(2027, 10, 1), 1) == D(2027, 10, 4)


def test_an_imported_2027_schedule_governs_deadlines(tmp_path):
    schedule = tmp_path / "2027.csv"
    schedule.write_text(
        "date,is_workday,note\n"
        "2027-10-01..2027-10-07,false,国庆节\n"
        "2027-09-26,true,国庆节调休\n"
        "2027-10-09,上班,国庆节调休\n",
        encoding="utf-8",
    )

    imported = calendar.import_schedule(str(schedule))
    model.Session.commit()

    assert imported == 9
    assert calendar.schedule_known(2027)
    assert calendar.is_workday(D(2027, 9, 26)) and not calendar.is_workday(D(2027, 10, 4))
    assert calendar.add_workdays(D(2027, 9, 30), 1) == D(2027, 10, 8)
    assert calendar.add_workdays(D(2027, 9, 30), 2) == D(2027, 10, 9)


def test_an_override_corrects_a_day_the_package_knows():
    calendar.set_override(D(2026, 11, 30), False, "临时调整")
    model.Session.commit()

    assert not calendar.is_workday(D(2026, 11, 30))
    assert calendar.add_workdays(D(2026, 11, 27), 1) == D(2026, 12, 1)
    assert calendar.remove_override(D(2026, 11, 30))


def test_a_yaml_schedule_is_read_too(tmp_path):
    schedule = tmp_path / "2027.yaml"
    schedule.write_text("- {date: 2027-02-06..2027-02-12, is_workday: false, note: 春节}\n"
                        "- {date: 2027-02-14, is_workday: true}\n", encoding="utf-8")

    days = calendar.read_schedule(str(schedule))

    assert len(days) == 8 and days[D(2027, 2, 14)] == (True, None)


@pytest.mark.parametrize(
    ("content", "where"),
    [
        ("day,workday\n2027-01-01,false\n", "header"),
        ("date,is_workday\n2027-13-01,false\n", "line 2"),
        ("date,is_workday\n2027-01-01,maybe\n", "line 2"),
        ("date,is_workday\n2027-01-09..2027-01-01,false\n", "line 2"),
    ],
)
def test_a_bad_schedule_file_is_refused_naming_the_problem_and_saves_nothing(tmp_path, content, where):
    schedule = tmp_path / "bad.csv"
    schedule.write_text(content, encoding="utf-8")

    with pytest.raises(calendar.ScheduleError, match=where.split()[0]):
        calendar.import_schedule(str(schedule))
    assert calendar.list_overrides() == []
