"""A data demand in a real browser: submitted, routed, supported, accepted and answered with a
published dataset that the requester then opens."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


@pytest.fixture
def tab_for(browser) -> Iterator[Any]:
    """A separate browser session per person, so that each stays signed in."""
    contexts = []

    def open_tab(base_url: str, user: dict[str, Any]) -> Any:
        context = browser.new_context(locale="zh-CN")
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(15000)
        log_in(tab, base_url, user["name"])
        return tab

    yield open_tab
    for context in contexts:
        context.close()


def test_a_demand_from_submission_to_the_provided_dataset(live_server, tab_for):
    department = factories.department(title="绍兴市交通运输局")
    dataset = factories.dataset(department["id"], title="电动汽车充电桩分布", domain="transport")
    requester = factories.user(password="correct123", fullname="李明")
    editor = factories.member(department["id"], "editor", password="correct123")
    supporter = factories.user(password="correct123")
    bureau = factories.sysadmin(password="correct123")

    # The requester submits the form, with a mistake first.
    requester_tab = tab_for(live_server, requester)
    requester_tab.goto(f"{live_server}/demands/new")
    requester_tab.fill("#field-title", "全市充电桩位置及空闲状态")
    requester_tab.fill("#field-description", "充电桩编号、经纬度、快慢充类型、实时空闲状态")
    requester_tab.fill("#field-purpose", "充电导航小程序")
    requester_tab.select_option("#field-domain", "transport")
    requester_tab.select_option("#field-suggested_organization_id", department["id"])
    requester_tab.fill("#field-contact_name", "李明")
    requester_tab.fill("#field-contact_phone", "电话号码")
    with requester_tab.expect_navigation():
        requester_tab.click(".govdata-demand-form button[type=submit]")
    assert "联系电话" in requester_tab.locator(".govdata-demand-errors").inner_text()
    requester_tab.fill("#field-contact_phone", "13800138000")
    with requester_tab.expect_navigation():
        requester_tab.click(".govdata-demand-form button[type=submit]")
    assert "待分派" in requester_tab.locator(".govdata-demand h1").inner_text()
    demand_url = requester_tab.url

    # The bureau finds it in its queue and routes it to the suggested department.
    bureau_tab = tab_for(live_server, bureau)
    bureau_tab.goto(f"{live_server}/demands/queue")
    with bureau_tab.expect_navigation():
        bureau_tab.click("text=全市充电桩位置及空闲状态")
    assert bureau_tab.locator("#field-organization_id").input_value() == department["id"]
    with bureau_tab.expect_navigation():
        bureau_tab.click(".govdata-demand-route button[value=route]")
    assert "待部门确认" in bureau_tab.locator(".govdata-demand h1").inner_text()

    # Someone else adds their support from the public list, which shows no personal details.
    supporter_tab = tab_for(live_server, supporter)
    supporter_tab.goto(f"{live_server}/demands")
    row = supporter_tab.locator("tr", has_text="全市充电桩位置及空闲状态")
    assert "13800138000" not in supporter_tab.content() and "李明" not in supporter_tab.content()
    with supporter_tab.expect_navigation():
        row.locator("button[value=support]").click()
    supporters = supporter_tab.locator("tr", has_text="全市充电桩位置及空闲状态").locator(".govdata-demand-supporters")
    assert supporters.inner_text().split() == ["1", "已支持"]

    # The department accepts it, then provides the published dataset.
    editor_tab = tab_for(live_server, editor)
    editor_tab.goto(demand_url)
    assert "13800138000" in editor_tab.locator(".govdata-demand-contact").inner_text()
    with editor_tab.expect_navigation():
        editor_tab.click(".govdata-demand-confirm button[value=accept]")
    assert "已受理" in editor_tab.locator(".govdata-demand h1").inner_text()
    editor_tab.fill("#field-provide-package_id", dataset["name"])
    with editor_tab.expect_navigation():
        editor_tab.click(".govdata-demand-provide button[value=provide]")
    assert "数据已提供" in editor_tab.locator(".govdata-demand h1").inner_text()

    # The requester was told, sees every step on the timeline and opens the dataset.
    requester_tab.goto(f"{live_server}/demands/mine")
    assert "您需要的数据已提供" in requester_tab.locator(".govdata-demand-notices").inner_text()
    requester_tab.goto(demand_url)
    steps = requester_tab.locator(".govdata-demand-timeline tbody tr").all_inner_texts()
    assert [step.split("\t")[1] for step in steps] == ["提交需求", "分派至部门", "需求已受理", "数据已提供"]
    with requester_tab.expect_navigation():
        requester_tab.click(".govdata-demand-dataset a")
    assert "电动汽车充电桩分布" in requester_tab.locator("h1").first.inner_text()
