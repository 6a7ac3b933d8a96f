"""我的数据 in a real browser: a person proves who they are with the development provider's code,
sees their rows in two datasets, authorises a developer's application for one of them by the key
the developer's 我的应用 page shows (calls with that key then read only those rows; the developer's
own token reads nothing), flags a row as wrong, and reads the audit trail of their rows."""
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
    api = factories.dataservice(department["id"], open_condition="conditional", served_datasets=[social["dataset"]["name"]],
                                api_parameters=[{"name": "id_number", "type": "string", "required": "false"}])
    person = factories.user(password="correct123", fullname="张三", email="zhangsan@example.com")
    lender = factories.user(password="correct123", fullname="绍兴银行")

    # The bank's developer registers an application on 我的应用 and reads its key there.
    developer_context = tab.context.browser.new_context(locale="zh-CN")
    developer_tab = developer_context.new_page()
    developer_tab.set_default_timeout(15000)
    log_in(developer_tab, live_server, lender["name"])
    developer_tab.goto(f"{live_server}/user/apps")
    developer_tab.fill("#app-name", "贷款审核系统")
    developer_tab.fill("#app-scope", api["name"])
    with developer_tab.expect_navigation():
        developer_tab.click(".govdata-app-create button[type=submit]")
    key = developer_tab.locator(".govdata-issued-secret .app-key").inner_text()
    secret = developer_tab.locator(".govdata-issued-secret .app-secret").inner_text()
    assert "应用密钥" in developer_tab.inner_text("body")
    developer_context.close()

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

    # Authorise the bank's application, by its key, for the social insurance records.
    social_table = tab.locator(f".govdata-subject-table[data-resource-id='{social['table']['id']}']")
    grant_form = social_table.locator("form.govdata-grant-form")
    grant_form.locator("input[name=grantee]").fill(key)
    grant_form.locator("input[name=purpose]").fill("贷款审核")
    grant_form.locator("input[name=expires_on]").fill((calendar.today() + dt.timedelta(days=30)).isoformat())
    with tab.expect_navigation():
        grant_form.locator("button.govdata-grant-submit").click()
    grants = tab.locator(".govdata-subject-grants")
    assert "贷款审核系统" in grants.inner_text() and "绍兴银行" in grants.inner_text()
    assert "生效中" in grants.inner_text() and grants.locator(".govdata-grant-app").count() == 1
    _shot(tab, "authorised-app")

    # Calls with that key read exactly this person's rows of that table; the lender's own token
    # reads nothing, neither through the data API nor datastore_search.
    by_key = requests.get(f"{live_server}/api/data/{api['name']}", timeout=30,
                          headers={"X-App-Key": key, "X-App-Secret": secret})
    by_token = requests.get(f"{live_server}/api/data/{api['name']}", timeout=30,
                            headers={"Authorization": lender["token"]})
    searched = requests.post(f"{live_server}/api/3/action/datastore_search", timeout=30,
                             json={"resource_id": social["table"]["id"]}, headers={"Authorization": lender["token"]})
    assert by_key.status_code == 200 and sorted(row["amount"] for row in by_key.json()["records"]) == [100, 300]
    assert by_token.status_code == searched.status_code == 403

    # Flag a row as wrong: it becomes the department's error report.
    social_table = tab.locator(f".govdata-subject-table[data-resource-id='{social['table']['id']}']")
    flag_form = social_table.locator("form.govdata-flag-form").first
    flag_form.locator("input[name=description]").fill("缴费金额应为150元")
    with tab.expect_navigation():
        flag_form.locator("button.govdata-flag-submit").click()
    assert "/feedback/correction/" in tab.url
    assert tab.locator(".govdata-correction-state").inner_text() == "待提供单位处理"
    _shot(tab, "flagged")

    # The audit trail of their rows: their own reads and the application's, named with its owner.
    tab.goto(f"{live_server}/my-data#trail")
    trail = tab.locator("#trail + .govdata-audit-trail")
    text = trail.inner_text()
    assert lender["name"] in text and "我的数据" in text and "3306********" + PERSON[-4:] in text
    assert trail.locator("tr[data-channel='dataapi'] .govdata-audit-app").inner_text() == "贷款审核系统 (绍兴银行)"
    assert "数据接口" in trail.locator("tr[data-channel='dataapi']").inner_text()
    assert PERSON not in tab.content()
    _shot(tab, "trail")
