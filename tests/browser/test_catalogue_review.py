"""A department's draft goes through review in a real browser: submitted, returned with a
comment, submitted again and published, and only then seen by the public."""
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
    """A separate browser session per person (None: the public), so that each stays signed in."""
    contexts = []

    def open_tab(base_url: str, user: dict[str, Any] | None) -> Any:
        context = browser.new_context(locale="zh-CN")
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(15000)
        if user is not None:
            log_in(tab, base_url, user["name"])
        return tab

    yield open_tab
    for context in contexts:
        context.close()


def _state(tab: Any) -> str:
    return tab.locator(".govdata-review").get_attribute("data-review-state")


def test_a_draft_is_submitted_returned_resubmitted_and_published(live_server, tab_for):
    department = factories.department(title="绍兴市交通运输局")
    editor = factories.member(department["id"], role="editor", password="correct123")
    bureau = factories.sysadmin(password="correct123")
    draft = call_action("package_create", {"user": editor["name"], "ignore_auth": False},
                        **factories.dataset_fields(department["id"], title="绍兴市公交站点信息"))
    factories.uploaded_resource(draft["id"])
    url = f"{live_server}/dataset/{draft['name']}"

    public = tab_for(live_server, None)
    assert public.goto(url).status == 404

    department_tab = tab_for(live_server, editor)
    department_tab.goto(url)
    assert _state(department_tab) == "draft"
    assert department_tab.locator(".govdata-review-publish").count() == 0
    with department_tab.expect_navigation():
        department_tab.click(".govdata-review-submit")
    assert _state(department_tab) == "submitted"

    bureau_tab = tab_for(live_server, bureau)
    bureau_tab.goto(f"{live_server}/directory/review")
    with bureau_tab.expect_navigation():
        bureau_tab.click("text=绍兴市公交站点信息")
    bureau_tab.fill("#review-comment", "请补充数据项说明")
    with bureau_tab.expect_navigation():
        bureau_tab.click(".govdata-review-return")
    assert _state(bureau_tab) == "returned"

    department_tab.reload()
    assert "请补充数据项说明" in department_tab.locator(".govdata-review-comment").inner_text()
    with department_tab.expect_navigation():
        department_tab.click(".govdata-review-submit")

    bureau_tab.reload()
    with bureau_tab.expect_navigation():
        bureau_tab.click(".govdata-review-publish")
    assert _state(bureau_tab) == "published"

    assert public.goto(url).status == 200
    assert "绍兴市公交站点信息" in public.locator("h1").first.inner_text()
    assert public.locator(".govdata-review").count() == 0
