"""Working-day time limits of requests across National Day 2026, overdue flags and reminders."""
from __future__ import annotations

import base64
import io
from typing import Any

import pytest
from ckan.cli.cli import ckan
from ckan.tests.helpers import call_action
from freezegun import freeze_time
from openpyxl import load_workbook

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

# 10:00 in Beijing on Wednesday 30 September 2026, the eve of the National Day holiday.
EVE_OF_NATIONAL_DAY = "2026-09-30 02:00:00"


def _as(user: dict[str, Any]) -> dict[str, Any]:
    return {"user": user["name"], "ignore_auth": False}


@pytest.fixture
def submitted() -> dict[str, Any]:
    with freeze_time(EVE_OF_NATIONAL_DAY):
        department = factories.department()
        dataset = factories.conditional_dataset(department["id"], data_subject_type="none")
        applicant = factories.user()
        request = factories.access_request(applicant, dataset["id"], subject_id=None, subject_consent=None)
    return {"request": request, "applicant": applicant, "sysadmin": factories.sysadmin(email="bureau@sx.gov.cn")}


def test_data_the_platform_holds_is_due_in_3_working_days_skipping_the_holiday(submitted):
    request = submitted["request"]

    assert request["platform_holds_data"] is True
    assert request["limit_days"] == 3
    # Oct 1–7 are holidays; Oct 8, Oct 9 and the adjusted Saturday Oct 10 are working days.
    assert request["due_date"] == "2026-10-10"


@freeze_time(EVE_OF_NATIONAL_DAY)
def test_data_the_department_must_provide_is_due_in_10_working_days():
    api = factories.dataservice(factories.department()["id"], open_condition="conditional")

    request = factories.access_request(factories.user(), api["id"], subject_id=None, subject_consent=None)

    assert request["platform_holds_data"] is False
    assert request["limit_days"] == 10
    assert request["due_date"] == "2026-10-20"


def test_a_request_past_its_deadline_is_flagged_overdue(submitted):
    sysadmin = _as(submitted["sysadmin"])
    with freeze_time("2026-10-10 09:00:00"):
        on_the_day = call_action("govdata_access_request_list", dict(sysadmin), scope="review")["results"][0]
    with freeze_time("2026-10-12 02:00:00"):
        after = call_action("govdata_access_request_list", dict(sysadmin), scope="review")["results"][0]
        overdue_only = call_action("govdata_access_request_list", dict(sysadmin), scope="review", overdue="true")

    assert on_the_day["overdue"] is False and on_the_day["timeliness"] == "on_time"
    assert after["overdue"] is True and after["timeliness"] == "overdue"
    assert after["working_days_taken"] == 4
    assert overdue_only["count"] == 1


def test_reviewers_are_reminded_once_before_and_once_at_the_deadline(submitted, mail_server):
    site = {"user": submitted["sysadmin"]["name"], "ignore_auth": False}
    with freeze_time("2026-10-08 01:00:00"):
        too_early = call_action("govdata_access_reminders_send", dict(site))
    with freeze_time("2026-10-09 01:00:00"):
        due_soon = call_action("govdata_access_reminders_send", dict(site))
        repeated = call_action("govdata_access_reminders_send", dict(site))
    with freeze_time("2026-10-12 01:00:00"):
        overdue = call_action("govdata_access_reminders_send", dict(site))
        notices = call_action("govdata_access_notice_list", dict(site))

    assert too_early == {"due_soon": 0, "overdue": 0, "mails": 0}
    assert due_soon["due_soon"] == 1 and due_soon["mails"] >= 1
    assert repeated == {"due_soon": 0, "overdue": 0, "mails": 0}
    assert overdue["overdue"] == 1
    assert {notice["kind"] for notice in notices} == {"due_soon", "overdue"}
    recipients = [message[2] for message in mail_server.get_smtp_messages()]
    assert ["bureau@sx.gov.cn"] in recipients


def test_the_reminder_command_runs_from_cron(submitted, cli, mail_server):
    result = cli.invoke(ckan, ["govdata-access", "remind", "--today", "2026-10-12"])

    assert result.exit_code == 0, result.output
    assert "overdue: 1" in result.output


@pytest.mark.usefixtures("with_request_context")
def test_the_ledger_exports_working_days_and_timeliness_to_excel(submitted):
    sysadmin = _as(submitted["sysadmin"])
    request_id = submitted["request"]["id"]
    with freeze_time("2026-10-08 03:00:00"):
        call_action("govdata_access_request_review", dict(sysadmin), id=request_id, outcome="pass")
    with freeze_time("2026-10-09 07:00:00"):
        call_action("govdata_access_request_decide", dict(sysadmin), id=request_id, decision="approve")
        exported = call_action("govdata_access_ledger_export", dict(sysadmin), format="xlsx")
        as_csv = call_action("govdata_access_ledger_export", dict(sysadmin), format="csv")

    book = load_workbook(io.BytesIO(base64.b64decode(exported["content_base64"])))
    requests, steps = book.worksheets
    header = [cell.value for cell in requests[1]]
    row = dict(zip(header, [cell.value for cell in requests[2]], strict=False))
    step_rows = [[cell.value for cell in line] for line in steps.iter_rows(min_row=2)]
    text = base64.b64decode(as_csv["content_base64"]).decode("utf-8-sig")

    assert exported["filename"].endswith(".xlsx") and exported["count"] == 1
    assert row["申请编号"] == request_id
    assert row["状态"] == "已批准"
    assert row["提交时间"] == "2026-09-30 10:00"
    assert row["办理时限（工作日）"] == 3
    assert row["截止日期"] == "2026-10-10"
    assert row["实际用时（工作日）"] == 2
    assert row["是否按时"] == "按时"
    assert [line[1] for line in step_rows] == ["创建", "提交", "通过平台审核", "已批准"]
    assert [line[6] for line in step_rows] == [0, 0, 1, 2]
    assert text.splitlines()[0].startswith("申请编号,")
