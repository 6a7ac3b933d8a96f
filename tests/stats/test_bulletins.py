"""Bulletins: the weekly bulletin ranking departments (一周一通报) and the departments' daily
notices (一日一告知), through the action API, the CLI, mail and the pages, around National Day
2026 (1–7 October are holidays; Saturday 10 October is a working day)."""
from __future__ import annotations

import email
import io
from email.header import decode_header, make_header

import pytest
from ckan.tests.helpers import call_action
from click.testing import CliRunner
from freezegun import freeze_time
from openpyxl import load_workbook

from ckanext.govdata.cli import govdata
from ckanext.govdata.stats import bulletins
from tests import factories

pytestmark = [
    pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins"),
    pytest.mark.ckan_config("ckanext.govdata.stats.flush_interval", 0),
]
API = "/api/3/action"


def _as(user: dict) -> dict:
    return {"user": user["name"], "ignore_auth": False}


@pytest.fixture
def week() -> dict:
    """Three departments on Monday 12 October: ``prompt`` decided its request on 9 October (due
    10 October), ``late`` has left its request waiting past 10 October, ``quiet`` has no case."""
    bureau = factories.sysadmin()
    prompt, late, quiet = (factories.department(title=title) for title in ("甲局", "乙局", "丙局"))
    late_editor = factories.member(late["id"], "editor", email="editor@late.sx.gov.cn")
    late_admin = factories.member(late["id"], "admin", email="admin@late.sx.gov.cn")
    late_member = factories.member(late["id"], "member", email="member@late.sx.gov.cn")
    with freeze_time("2026-09-30 02:00:00"):
        requests = {}
        for department in (prompt, late):
            dataset = factories.conditional_dataset(department["id"], data_subject_type="none")
            requests[department["name"]] = factories.access_request(
                factories.user(), dataset["id"], subject_id=None, subject_consent=None)
    with freeze_time("2026-10-09 02:00:00"):
        request = requests[prompt["name"]]
        call_action("govdata_access_request_review", _as(bureau), id=request["id"], outcome="pass")
        call_action("govdata_access_request_decide", _as(bureau), id=request["id"], decision="approve")
    return {
        "bureau": bureau, "prompt": prompt, "late": late, "quiet": quiet, "late_request": requests[late["name"]],
        "late_editor": late_editor, "late_admin": late_admin, "late_member": late_member,
    }


def _rows(bulletin: dict) -> dict[str, dict]:
    return {row["name"]: row for row in bulletin["content"]["departments"]}


def test_weekly_bulletin_ranks_departments_and_is_stored_once_per_week(week):
    bureau = _as(week["bureau"])
    with freeze_time("2026-10-12 02:00:00"):  # Monday: the bulletin of 5–11 October
        first = call_action("govdata_bulletin_generate", dict(bureau), kind="weekly")
        again = call_action("govdata_bulletin_generate", dict(bureau), kind="weekly", date="2026-10-10")
    shown = call_action("govdata_bulletin_show", dict(bureau), id=first["bulletins"][0])

    assert (first["period_start"], first["period_end"]) == ("2026-10-05", "2026-10-11")
    assert again["bulletins"] == first["bulletins"]
    rows = _rows(shown)
    prompt, late, quiet = (rows[week[name]["name"]] for name in ("prompt", "late", "quiet"))
    # Both datasets were last modified in 2024 and update monthly: stale, an update rate of 0.
    assert (prompt["requests_on_time_rate"], prompt["update_rate"], prompt["score"], prompt["rank"]) == (1.0, 0.0, 0.5, 1)
    assert (late["requests_on_time_rate"], late["requests_overdue"], late["score"], late["rank"]) == (0.0, 1, 0.0, 2)
    assert (quiet["score"], quiet["rank"]) == (None, None)
    assert [row["name"] for row in shown["content"]["departments"]][-1] == week["quiet"]["name"]

    # The late request is decided on Tuesday; the week's bulletin generated again replaces the first.
    with freeze_time("2026-10-13 02:00:00"):
        call_action("govdata_access_request_review", dict(bureau), id=week["late_request"]["id"], outcome="pass")
        call_action("govdata_access_request_decide", dict(bureau), id=week["late_request"]["id"], decision="approve")
        call_action("govdata_bulletin_generate", dict(bureau), kind="weekly", date="2026-10-05")
    replaced = call_action("govdata_bulletin_show", dict(bureau), id=first["bulletins"][0])
    listed = call_action("govdata_bulletin_list", dict(bureau), kind="weekly")

    assert listed["count"] == 1 and listed["results"][0]["id"] == first["bulletins"][0]
    assert replaced["generated_at"] > shown["generated_at"]
    assert _rows(replaced)[week["late"]["name"]]["requests_overdue"] == 0


def test_ranking_shares_ranks_between_equal_scores():
    rows = [
        {"title": title, "on_time": on_time, "stale": stale, "requests_on_time_rate": rate}
        for title, on_time, stale, rate in (("a", 1, 1, None), ("b", 1, 0, None), ("c", 0, 0, None), ("d", 0, 0, 0.5))
    ]

    ranked = bulletins.ranked(rows)

    assert [(row["title"], row["score"], row["rank"]) for row in ranked] == [
        ("b", 1.0, 1), ("a", 0.5, 2), ("d", 0.5, 2), ("c", None, None),
    ]


def _notices(bureau: dict, ids: list[str]) -> dict[str, dict]:
    shown = (call_action("govdata_bulletin_show", dict(_as(bureau)), id=bulletin_id) for bulletin_id in ids)
    return {notice["department_id"]: notice for notice in shown}


def test_daily_notices_tell_each_department_what_is_open_and_overdue_by_mail(week, mail_server):
    bureau, late_id = week["bureau"], week["late"]["id"]
    with freeze_time("2026-10-10 02:00:00"):  # the adjusted Saturday: a working day, the request's due date
        saturday = call_action("govdata_bulletin_generate", dict(_as(bureau)), kind="daily")
    saturday_mails = list(mail_server.get_smtp_messages())
    with freeze_time("2026-10-12 02:00:00"):
        result = CliRunner().invoke(govdata, ["stats", "bulletin", "daily"], catch_exceptions=False)
        again = call_action("govdata_bulletin_generate", dict(_as(bureau)), kind="daily")

    on_saturday, on_monday = _notices(bureau, saturday["bulletins"]), _notices(bureau, again["bulletins"])
    assert "daily bulletin 2026-10-12–2026-10-12: 3 stored, 2 mails sent." in result.output
    assert again["mails"] == 0, "a day's notice is mailed once"
    assert call_action("govdata_bulletin_list", dict(_as(bureau)), kind="daily")["count"] == 6
    # Saturday the request was open, due that day; on Monday it is overdue.
    assert on_saturday[late_id]["content"]["workflows"]["requests"] == {"open": 1, "overdue": 0}
    assert on_monday[late_id]["content"]["workflows"]["requests"] == {"open": 1, "overdue": 1}
    assert on_monday[week["prompt"]["id"]]["content"]["workflows"]["requests"] == {"open": 0, "overdue": 0}
    assert on_monday[late_id]["stale"] == 1 and on_monday[late_id]["content"]["stale_entries"][0]["title"]
    assert (on_monday[week["quiet"]["id"]]["open"], on_monday[week["quiet"]["id"]]["stale"]) == (0, 0)
    assert on_monday[week["quiet"]["id"]]["mailed_at"] is None and on_monday[late_id]["mailed_at"]

    # The late department's editor and admin, each day; never a plain member, nor the quiet department.
    assert sorted(address for message in saturday_mails for address in message[2]) == [
        "admin@late.sx.gov.cn", "editor@late.sx.gov.cn"]
    messages = mail_server.get_smtp_messages()
    assert len(messages) == 4 and all("member@late.sx.gov.cn" not in message[2] for message in messages)
    parsed = email.message_from_string(messages[-1][3])
    subject = str(make_header(decode_header(parsed["Subject"])))
    body = parsed.get_payload(decode=True).decode("utf-8")
    assert week["late"]["title"] in subject and "1 open, 1 overdue" in subject
    assert f"/monitor/bulletins/{on_monday[late_id]['id']}" in body and "1 / 1" in body


def _get(app, path: str, user: dict | None, status: int = 200, **params: str):
    headers = {"Authorization": user["token"]} if user else {}
    return app.get(path, query_string=params, headers=headers, status=status)


def _post(app, action: str, user: dict | None, status: int = 200, **data: str):
    headers = {"Authorization": user["token"]} if user else {}
    return app.post(f"{API}/{action}", json=data, headers=headers, status=status)


def test_bulletins_are_for_the_bureau_and_each_department_reads_its_own_notices(app, week):
    with freeze_time("2026-10-12 02:00:00"):
        weekly = call_action("govdata_bulletin_generate", dict(_as(week["bureau"])), kind="weekly")["bulletins"][0]
        daily = _notices(week["bureau"], call_action("govdata_bulletin_generate", dict(_as(week["bureau"])),
                                                     kind="daily")["bulletins"])
    own, others = daily[week["late"]["id"]]["id"], daily[week["prompt"]["id"]]["id"]
    editor, member, stranger = week["late_editor"], week["late_member"], factories.user()

    for caller in (None, stranger, member):
        _get(app, f"{API}/govdata_bulletin_list", caller, status=403)
        _get(app, f"{API}/govdata_bulletin_show", caller, status=403, id=weekly)
        _get(app, f"{API}/govdata_bulletin_show", caller, status=403, id=own)
        _get(app, "/monitor/bulletins", caller, status=403)
        _get(app, f"/monitor/bulletins/{weekly}", caller, status=403)
        _get(app, f"/monitor/bulletins/{own}.xlsx", caller, status=403)
        _post(app, "govdata_bulletin_generate", caller, status=403, kind="daily")
    _post(app, "govdata_bulletin_generate", editor, status=403, kind="daily")
    listed = _get(app, f"{API}/govdata_bulletin_list", editor).json["result"]
    assert {item["id"] for item in listed["results"]} == {weekly, own}
    _get(app, f"{API}/govdata_bulletin_show", editor, id=others, status=403)
    _get(app, f"/monitor/bulletins/{others}", editor, status=403)
    _get(app, f"{API}/govdata_bulletin_show", week["bureau"], id="no-such-bulletin", status=404)
    _get(app, f"{API}/govdata_bulletin_show", editor, id="no-such-bulletin", status=403)

    page = _get(app, "/monitor/bulletins", editor).get_data(as_text=True)
    assert f"/monitor/bulletins/{weekly}" in page and f"/monitor/bulletins/{own}" in page and others not in page
    notice = _get(app, f"/monitor/bulletins/{own}", editor).get_data(as_text=True)
    assert "govdata-notice" in notice and week["late"]["title"] in notice
    assert "/monitor/bulletins" in _get(app, "/monitor", editor).get_data(as_text=True)


@pytest.mark.parametrize(("params", "field"), [
    ({"kind": "monthly"}, "kind"),
    ({"kind": "daily", "date": "2026-02-30"}, "date"),
    ({"kind": "weekly", "date": "2999-01-01"}, "date"),
    ({}, "kind"),
])
def test_bad_generation_parameters_are_409s_naming_the_field(app, params, field):
    response = _post(app, "govdata_bulletin_generate", factories.sysadmin(), status=409, **params)

    assert field in response.json["error"]


def test_bulletins_download_as_xlsx_in_the_pages_order(app, week):
    with freeze_time("2026-10-12 02:00:00"):
        weekly = call_action("govdata_bulletin_generate", dict(_as(week["bureau"])), kind="weekly")["bulletins"][0]
        daily = _notices(week["bureau"], call_action("govdata_bulletin_generate", dict(_as(week["bureau"])),
                                                     kind="daily")["bulletins"])

    response = _get(app, f"/monitor/bulletins/{weekly}.xlsx", week["late_editor"])
    sheet = load_workbook(io.BytesIO(response.data)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert response.mimetype.endswith("spreadsheetml.sheet")
    assert rows[0][:3] == ("名次", "提供单位", "综合得分")
    assert [row[:3] for row in rows[1:]] == [(1, "甲局", 0.5), (2, "乙局", 0.0), (None, "丙局", None)]

    notice = _get(app, f"/monitor/bulletins/{daily[week['late']['id']]['id']}.xlsx", week["bureau"])
    rows = list(load_workbook(io.BytesIO(notice.data)).active.iter_rows(values_only=True))
    assert rows[0][0] == "乙局" and rows[1][1:] == (1, 1)
    assert rows[-1][0] and rows[-1][1] == "2024-06-30"
