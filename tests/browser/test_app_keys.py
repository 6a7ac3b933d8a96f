"""Application keys in a real browser: a developer registers an application on 我的应用, copies
its key and secret, calls a demo API within its quota, is refused with 429 past it, and after
the ledger's flush (the scheduler's minute) sees the calls on the usage table."""
from __future__ import annotations

from typing import Any

import pytest

from ckanext.govdata.dataapi.keys import ledger
from tests import factories
from tests.browser.conftest import log_in
from tests.dataapi.test_endpoint import served_api

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


@pytest.mark.ckan_config("ckanext.govdata.dataapi.keys.plans", "default=100/3")
def test_register_call_hit_the_quota_and_see_the_usage(live_server, page: Any):
    name = served_api()["api"]["name"]
    developer = factories.user(password="correct123")
    log_in(page, live_server, developer["name"])

    page.goto(f"{live_server}/user/apps")
    assert page.locator("h1").inner_text() == "我的应用"
    page.fill("#app-name", "公交到站小程序")
    page.fill("#app-homepage", "https://example.org/bus")
    page.fill("#app-scope", name)
    with page.expect_navigation():
        page.click(".govdata-app-create button[type=submit]")
    key = page.locator(".govdata-issued-secret .app-key").inner_text()
    secret = page.locator(".govdata-issued-secret .app-secret").inner_text()
    assert key.startswith("gk_") and len(secret) > 30

    headers = {"X-App-Key": key, "X-App-Secret": secret}
    answers = [page.request.get(f"{live_server}/api/data/{name}", headers=headers) for _ in range(3)]
    assert [a.status for a in answers] == [200, 200, 200]
    assert answers[-1].headers["x-ratelimit-remaining"] == "0"
    refused = page.request.get(f"{live_server}/api/data/{name}", headers=headers)
    assert refused.status == 429 and int(refused.headers["retry-after"]) > 0
    assert refused.json()["error"]["code"] == "rate_limited"

    assert ledger.flush() == 4
    page.goto(f"{live_server}/user/apps")
    row = page.locator(f".govdata-api-usage tr[data-api='{name}']")
    assert row.locator(".calls").inner_text() == "4" and row.locator(".errors").inner_text() == "1"
    assert secret not in page.content()
