"""Typing in the search box shows suggestions; the keyboard picks one and searches it."""
from __future__ import annotations

import pytest

from ckanext.govdata.search import suggest
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def test_typing_shows_suggestions_and_the_keyboard_picks_one(live_server, page):
    transport = factories.department(title="绍兴市交通运输局")
    factories.dataset(transport["id"], title="交通运输企业信用评价结果")
    factories.dataset(transport["id"], title="城市公交站点信息")
    factories.dataset(transport["id"], title="交通执法内部台账", private=True)
    suggest.build()

    page.goto(f"{live_server}/dataset/")
    box = page.locator("#field-giant-search")
    box.click()
    box.press_sequentially("交通", delay=50)
    options = page.locator(".govdata-suggest-list [role=option]")
    options.first.wait_for()

    texts = [text.strip() for text in options.all_inner_texts()]
    assert texts[0] == "交通运输企业信用评价结果"
    assert any(text.startswith("绍兴市交通运输局") for text in texts)
    assert not any("内部台账" in text for text in texts)
    assert box.get_attribute("aria-expanded") == "true"

    box.press("ArrowDown")
    assert options.first.get_attribute("aria-selected") == "true"
    assert box.get_attribute("aria-activedescendant") == options.first.get_attribute("id")
    box.press("Enter")
    page.wait_for_url("**q=%E4%BA%A4%E9%80%9A%E8%BF%90%E8%BE%93**")
    page.wait_for_load_state("networkidle")

    assert page.locator(".dataset-heading a mark").first.inner_text() == "交通运输企业信用评价结果"
    assert page.locator(".govdata-suggest-list:visible").count() == 0


def test_escape_closes_the_list_and_the_header_box_suggests_too(live_server, page):
    department = factories.department()
    factories.dataset(department["id"], title="城市公交站点信息")
    suggest.build()

    page.goto(f"{live_server}/dataset/")
    box = page.locator("#field-sitewide-search")
    if not box.is_visible():
        pytest.skip("the header search box is collapsed at this window size")
    box.click()
    box.press_sequentially("站点", delay=50)
    page.locator(".govdata-suggest-list [role=option]").first.wait_for()

    assert page.locator(".govdata-suggest-list [role=option]").first.inner_text().strip() == "城市公交站点信息"
    box.press("Escape")
    assert box.get_attribute("aria-expanded") == "false"
