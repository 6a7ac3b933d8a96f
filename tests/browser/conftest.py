"""Browser tests: the CKAN app served on a real port (live_server, tests/conftest.py), driven by
Playwright in Debian's chromium."""
from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    playwright_api = pytest.importorskip("playwright.sync_api")
    with playwright_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def page(browser) -> Iterator[Any]:
    context = browser.new_context(locale="zh-CN")
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield tab
    context.close()


def log_in(page: Any, base_url: str, username: str, password: str = "correct123") -> None:
    """Logs in through CKAN's login form (Enter in the password field: the first submit button
    of the page is the header's search box)."""
    page.goto(f"{base_url}/user/login")
    page.fill("#field-login", username)
    page.fill("#field-password", password)
    with page.expect_navigation():
        page.press("#field-password", "Enter")
    assert "/user/login" not in page.url, "log-in failed"
