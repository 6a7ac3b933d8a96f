"""The try-it form of a data API's page, in chromium: the JSON answer shows under the form."""
from __future__ import annotations

import json

import pytest

from tests.dataapi.test_endpoint import served_api

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def test_the_try_it_form_shows_the_answer(page, live_server):
    name = served_api()["api"]["name"]

    page.goto(f"{live_server}/dataservice/{name}")
    page.fill("#try-station_code", "ST002")
    page.fill("#try-fields", "station_code,aqi")
    page.click(".govdata-dataapi-send")
    output = page.locator(".govdata-dataapi-output")
    output.filter(has_text="HTTP 200").wait_for()

    status, body = output.inner_text().split("\n", 1)
    assert status == "HTTP 200"
    assert json.loads(body)["records"] == [{"station_code": "ST002", "aqi": 26}]
    assert page.url.endswith(f"/dataservice/{name}")
