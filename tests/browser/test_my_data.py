"""我的数据 in a real browser: a person proves who they are with the development provider's code,
sees their rows in two datasets, authorises another user for one of them (who then reads only
those rows), flags a row as wrong, and reads the audit trail of their rows."""
from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterator
from typing import Any

import pytest
import requests

from ckanext.govdata import calendar
from tests import factories
from tests.browser.conftest import log_in
from tests.subjects.world import OTHER_PERSON, PERSON, last_code, person_dataset

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")
SCREENSHOTS = os.environ.get("GOVDATA_SCREENSHOTS")


@pytest.fixture
def tab(browser) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def _shot(page: Any, name: str) -> None:
    if SCREENSHOTS:
        page.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def test_prove_see_authorise_flag_and_read_the_trail(live_server, tab, codes):
    department = factories.department(title="绍兴市人力资源和社会保障局")
    social = person_dataset(department["id"])
    person_dataset(department["id"], title="公积金缴存记录", rows=[
        {"id_number": PERSON, "name": "张三", "amount": 5}, {"id_number": OTHER_PERSON, "name": "李四", "amount": 6}])
    person = factories.user(password="correct123", fullname="张三", email="zhangsan@example.com")
    lender = factories.user(password="correct123", fullname="绍兴银行")

    log_in(tab, live_server, person["name"])
    tab.goto(f"{live_server}/my-data")
    with tab.expect_navigation():
        tab.click("a[href$='/my-data/verify']")
    tab.select_option("#field-document-type", value="resident_id")
    tab.fill("#field-number", PERSON)
    with tab.expect_navigation():
        tab.click("button.govdata-verify-submit")
    assert "3306********" + PERSON[-4:] in tab.inner_text(".govdata-verify-instructions")
    tab.fill("#field-answer", last_code(codes, person["name"]))
    _shot(tab, "verify-code")
    with tab.expect_navigation():
        tab.click("button.govdata-confirm-submit")

    # The rows about them, in both datasets, masked; nobody else's.
    assert "/my-data" in tab.url
    tables = tab.locator(".govdata-subject-table")
    assert tables.count() == 2
    body = tab.inner_text("body")
    assert "社保缴纳记录" in body and "公积金缴存记录" in body and "李四" not in body and PERSON not in body
    _shot(tab, "my-data")

    # Authorise the lender for the social insurance records.
    social_table = tab.locator(f".govdata-subject-table[data-resource-id='{social['table']['id']}']")
    grant_form = social_table.locator("form.govdata-grant-form")
    grant_form.locator("input[name=grantee]").fill(lender["name"])
    grant_form.locator("input[name=purpose]").fill("贷款审核")
    grant_form.locator("input[name=expires_on]").fill((calendar.today() + dt.timedelta(days=30)).isoformat())
    with tab.expect_navigation():
        grant_form.locator("button.govdata-grant-submit").click()
    grants = tab.locator(".govdata-subject-grants")
    assert lender["name"] in grants.inner_text() and "生效中" in grants.inner_text()

    # The lender reads only this person's rows of that table, through the data API.
    searched = requests.post(f"{live_server}/api/3/action/datastore_search",
                             json={"resource_id": social["table"]["id"]},
                             headers={"Authorization": lender["token"]}, timeout=30).json()["result"]["records"]
    assert sorted(row["amount"] for row in searched) == [100, 300]

    # Flag a row as wrong: it becomes the department's error report.
    social_table = tab.locator(f".govdata-subject-table[data-resource-id='{social['table']['id']}']")
    flag_form = social_table.locator("form.govdata-flag-form").first
    flag_form.locator("input[name=description]").fill("缴费金额应为150元")
    with tab.expect_navigation():
        flag_form.locator("button.govdata-flag-submit").click()
    assert "/feedback/correction/" in tab.url
    assert tab.locator(".govdata-correction-state").inner_text() == "待提供单位处理"
    _shot(tab, "flagged")

    # The audit trail of their rows: their own reads and the lender's.
    tab.goto(f"{live_server}/my-data#trail")
    trail = tab.locator("#trail + .govdata-audit-trail")
    text = trail.inner_text()
    assert lender["name"] in text and "我的数据" in text and "3306********" + PERSON[-4:] in text
    assert PERSON not in tab.content()
    _shot(tab, "trail")
