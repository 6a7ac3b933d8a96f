"""A member of the public browses the catalogue in Chinese with a real browser."""
from __future__ import annotations

import pytest

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def test_search_by_domain_facet_and_open_a_dataset(live_server, page):
    department = factories.department(title="绍兴市交通运输局")
    bus = factories.dataset(department["id"], title="2023年公交客运量统计")
    factories.dataset(department["id"], title="空气质量日报", domain="environment")

    page.goto(f"{live_server}/dataset/")
    assert page.locator("html").get_attribute("lang").startswith("zh")
    # Facet links are htmx-boosted: the list is swapped in place and the URL pushed.
    page.locator("a[href*='domain=transport']:visible").first.click()
    page.wait_for_url("**domain=transport**")
    page.wait_for_load_state("networkidle")

    assert page.get_by_text("空气质量日报").count() == 0
    with page.expect_navigation():
        page.get_by_role("link", name=bus["title"]).click()

    assert page.locator(".govdata-badge-unconditional").inner_text() == "无条件开放"
    assert page.locator(".govdata-data-items tbody tr").count() == 2


def test_chinese_search_box_finds_a_substring(live_server, page):
    department = factories.department()
    bus = factories.dataset(department["id"], title="2023年公交客运量统计")
    factories.dataset(department["id"], title="空气质量日报", domain="environment")

    page.goto(f"{live_server}/dataset/")
    page.fill("#field-giant-search", "公交")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    titles = page.locator(".dataset-heading a").all_inner_texts()
    assert [title.strip() for title in titles] == [bus["title"]]
