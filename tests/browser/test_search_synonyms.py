"""Bureau staff teach search a synonym in the browser, and the public's next search uses it (#13)."""
from __future__ import annotations

from collections.abc import Iterator

import pytest

from ckanext.govdata.search import synonyms
from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

WORD = "巴士站牌"


@pytest.fixture
def restored() -> Iterator[None]:
    yield
    synonyms.delete_group(WORD)


def _search(page, base_url: str, query: str) -> list[str]:
    page.goto(f"{base_url}/dataset/")
    page.fill("#field-giant-search", query)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return [title.strip() for title in page.locator(".dataset-heading a").all_inner_texts()]


@pytest.mark.usefixtures("restored")
def test_staff_add_a_synonym_group_and_the_next_search_uses_it(live_server, page):
    stops = factories.dataset(title="公交站点信息")
    factories.dataset(title="空气质量日报", domain="environment")
    staff = factories.sysadmin()
    log_in(page, live_server, staff["name"])
    assert stops["title"] not in _search(page, live_server, WORD)

    page.goto(f"{live_server}/search/synonyms")
    assert page.locator(".govdata-synonym-groups").get_by_text("人社局").count() == 1
    # A group of one name is refused, and what was typed stays in the form.
    page.fill("#synonym-names", WORD)
    with page.expect_navigation():
        page.locator(".govdata-synonym-form button[type=submit]").click()
    assert "至少需要两个不同的名称" in page.locator(".flash-messages, .alert").all_inner_texts()[0]
    assert page.input_value("#synonym-names") == WORD

    page.fill("#synonym-names", f"{WORD}、公交站点")
    with page.expect_navigation():
        page.locator(".govdata-synonym-form button[type=submit]").click()
    row = page.locator(".govdata-synonym-groups tr", has_text=WORD)
    assert row.count() == 1

    assert _search(page, live_server, WORD) == [stops["title"]]

    page.goto(f"{live_server}/search/synonyms")
    with page.expect_navigation():
        page.locator(".govdata-synonym-groups tr", has_text=WORD).locator("button[type=submit]").click()
    assert page.locator(".govdata-synonym-groups tr", has_text=WORD).count() == 0
    assert stops["title"] not in _search(page, live_server, WORD)
