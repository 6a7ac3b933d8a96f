"""Error reports and ratings in a real browser: report with a screenshot, fix from the queue with
a link to the new version, the reporter reads the answer; rate bad, rectify, counts on the page."""
from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from ckan.tests.helpers import call_action

from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")
# Where the test leaves its screenshots when asked (GOVDATA_SCREENSHOTS=/some/dir).
SCREENSHOTS = os.environ.get("GOVDATA_SCREENSHOTS")


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


def _shot(tab: Any, name: str) -> None:
    if SCREENSHOTS:
        tab.screenshot(path=os.path.join(SCREENSHOTS, f"{name}.png"), full_page=True)


def test_report_fix_and_rate_in_the_browser(live_server, tab_for, tmp_path):
    department = factories.department(title="绍兴市交通运输局")
    dataset = factories.dataset(department["id"], title="公交站点信息")
    factories.uploaded_resource(dataset["id"], filename="站点.csv")
    reporter = factories.user(password="correct123", fullname="李四")
    editor = factories.member(department["id"], "editor", password="correct123")
    screenshot = tmp_path / "截图.png"
    screenshot.write_bytes(factories.image_upload().stream.getvalue())

    # The reporter rates the data bad and reports an error with a screenshot.
    reporter_tab = tab_for(live_server, reporter)
    reporter_tab.goto(f"{live_server}/dataset/{dataset['name']}")
    reporter_tab.check("input[name=value][value=bad]")
    reporter_tab.fill("#rating-reason", "缺少站点坐标说明")
    with reporter_tab.expect_navigation():
        reporter_tab.click("button.govdata-rate-submit")
    assert reporter_tab.locator(".govdata-feedback").get_attribute("data-bad") == "1"
    _shot(reporter_tab, "dataset-page")
    with reporter_tab.expect_navigation():
        reporter_tab.click("a.govdata-report-error")
    reporter_tab.select_option("#field-resource", label="站点.csv")
    reporter_tab.fill("#field-location", "第12行 站点名称")
    reporter_tab.fill("#field-description", "站点名称有错别字")
    reporter_tab.set_input_files("#field-attachment", str(screenshot))
    _shot(reporter_tab, "report-form")
    with reporter_tab.expect_navigation():
        reporter_tab.click("button.govdata-report-submit")
    assert reporter_tab.locator(".govdata-correction-state").inner_text() == "待提供单位处理"
    report_url = reporter_tab.url

    # The department fixes it from its queue, pointing to the corrected file, and rectifies the rating.
    fixed = factories.uploaded_resource(dataset["id"], filename="站点（更正）.csv")
    editor_tab = tab_for(live_server, editor)
    editor_tab.goto(f"{live_server}/feedback/queue")
    _shot(editor_tab, "queue")
    row = editor_tab.locator("tr", has_text="站点名称有错别字")
    row.locator("textarea[name=note]").fill("已更正站点名称")
    row.locator("select[name=fixed_resource_id]").select_option(label="站点（更正）.csv")
    with editor_tab.expect_navigation():
        row.locator("button.govdata-correction-fix").click()
    item = editor_tab.locator("tr", has_text="缺少站点坐标说明")
    item.locator("textarea[name=note]").fill("已补充坐标系说明")
    with editor_tab.expect_navigation():
        item.locator("button.govdata-rectify").click()
    assert editor_tab.locator("tr", has_text="站点名称有错别字").count() == 0

    # The reporter reads the answer and follows the link to the new version.
    reporter_tab.goto(f"{live_server}/dashboard/feedback")
    assert "已更正" in reporter_tab.locator(".govdata-my-corrections").inner_text()
    assert "已补充坐标系说明" in reporter_tab.locator(".govdata-my-rectifications").inner_text()
    reporter_tab.goto(report_url)
    assert "已更正站点名称" in reporter_tab.locator(".govdata-correction-note").inner_text()
    _shot(reporter_tab, "report-answered")
    with reporter_tab.expect_navigation():
        reporter_tab.click("a.govdata-correction-version")
    assert fixed["id"] in reporter_tab.url
    assert call_action("govdata_rectification_stats", {"user": editor["name"]})["departments"][department["id"]][
        "rectification_rate"] == 1.0
