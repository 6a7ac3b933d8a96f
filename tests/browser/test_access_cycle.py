"""The whole on-request cycle in a real browser: apply, check, approve, download."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from ckan.tests.helpers import call_action

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


def _download_links(tab: Any) -> list[str]:
    return [link.get_attribute("href") for link in tab.locator("a[href*='/download/']").all()]


def test_apply_check_approve_and_download(live_server, tab_for):
    department = factories.department(title="绍兴市税务局")
    dataset = factories.conditional_dataset(department["id"], title="企业纳税信用等级", data_subject_type="none")
    applicant = factories.user(password="correct123", fullname="张三")
    reviewer = factories.user(password="correct123")
    call_action("organization_member_create", factories.site_context(), id=department["id"],
                username=reviewer["name"], role="editor")
    bureau = factories.sysadmin(password="correct123")

    # The applicant finds no download, applies through the form and sees the deadline.
    applicant_tab = tab_for(live_server, applicant)
    applicant_tab.goto(f"{live_server}/dataset/{dataset['name']}")
    assert _download_links(applicant_tab) == []
    with applicant_tab.expect_navigation():
        applicant_tab.click("a.govdata-access-apply")
    applicant_tab.select_option("#field-applicant_type", "organisation")
    applicant_tab.fill("#field-applicant_name", "绍兴甲公司")
    applicant_tab.fill("#field-credit_code", factories.credit_code())
    applicant_tab.fill("#field-purpose", "核对本企业纳税信用等级")
    applicant_tab.fill("#field-scenario", "企业信用自查")
    fields = factories.request_fields(dataset["id"])
    applicant_tab.fill("#field-period_start", fields["period_start"])
    applicant_tab.fill("#field-period_end", fields["period_end"])
    applicant_tab.check("#field-agreement_accepted")
    with applicant_tab.expect_navigation():
        applicant_tab.click("#govdata-access-apply button[type=submit]")
    assert "待平台审核" in applicant_tab.locator(".govdata-access-request h1").inner_text()
    request_url = applicant_tab.url

    # The bureau passes the platform check from its queue.
    bureau_tab = tab_for(live_server, bureau)
    bureau_tab.goto(f"{live_server}/access/review")
    row = bureau_tab.locator("tr", has_text="绍兴甲公司")
    row.locator("input[name=request_ids]").check()
    bureau_tab.select_option("select[name=operation]", "pass")
    with bureau_tab.expect_navigation():
        bureau_tab.click("#govdata-access-bulk button[type=submit]")
    assert "待部门审批" in bureau_tab.locator("tr", has_text="绍兴甲公司").inner_text()

    # The department approves on the request's page.
    reviewer_tab = tab_for(live_server, reviewer)
    reviewer_tab.goto(request_url)
    with reviewer_tab.expect_navigation():
        reviewer_tab.click(".govdata-access-decision button[value=approve]")
    assert "已批准" in reviewer_tab.locator(".govdata-access-request h1").inner_text()

    # The applicant now holds a grant and downloads the file.
    applicant_tab.goto(f"{live_server}/dataset/{dataset['name']}")
    assert "您已获授权使用该数据" in applicant_tab.locator(".govdata-access-panel").inner_text()
    (link,) = _download_links(applicant_tab)
    download = applicant_tab.request.get(link)
    assert download.status == 200 and download.body().startswith(b"route_no,passengers")

    # Someone else, signed in, still gets nothing.
    stranger_tab = tab_for(live_server, factories.user(password="correct123"))
    assert stranger_tab.request.get(link).status == 403
