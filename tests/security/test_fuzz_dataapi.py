"""Hostile query strings against a served data API (issue #16): whatever the parameters, the
answer is never a 500, and a refusal is a JSON error naming the parameter in Chinese and English.

The endpoint is a GET with a query string, not an action: the action fuzzing of
``test_fuzz_actions`` does not reach it, so its parameters are mutated here, from a valid call.
"""
from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.dataapi.test_endpoint import served_api
from tests.security import hostile

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

# The endpoints of the data API, each with a call it accepts.
ENDPOINTS = {
    "data": {"station_code": "ST001", "aqi__gte": "20", "start_date": "2025-01-01", "fields": "aqi", "sort": "-aqi",
             "limit": "5", "offset": "0", "format": "json"},
    "cursor": {"limit": "5", "cursor": "eyJhZnRlciI6IDF9"},
}
KEYS = ["station_code", "aqi", "aqi__gte", "aqi__lt", "start_date", "end_date", "page_size", "fields", "sort",
        "limit", "offset", "cursor", "format", "district", "__junk", "aqi__", "_id", "q"]
as_text = st.one_of(
    st.sampled_from(hostile.INJECTIONS).filter(lambda value: "\x00" not in value),
    st.text(max_size=40).filter(lambda value: "\x00" not in value),
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.sampled_from(["1e309", "NaN", "-0", "2025-13-01", "2025-01-01T25:00", "9" * 40, "eyJhZnRlciI6IC0xfQ"]),
)


@pytest.fixture
def world() -> dict[str, Any]:
    return served_api()


@hostile.examples(60)
@given(data=st.data())
def test_hostile_query_strings_never_cause_a_server_error(app, world, data):
    endpoint = data.draw(st.sampled_from(sorted(ENDPOINTS)), label="endpoint")
    params = dict(ENDPOINTS[endpoint])
    for key in data.draw(st.lists(st.sampled_from(KEYS), min_size=1, max_size=3, unique=True), label="keys"):
        params[key] = data.draw(as_text, label=key)

    response = app.get(f"/api/data/{world['api']['name']}", query_string=params, status=None)

    assert response.status_code < 500, (params, response.get_data(as_text=True)[-600:])
    if response.status_code >= 400:
        error = response.json["error"]
        assert error["code"] and hostile.is_bilingual(error["message"]), (params, error)
        assert error["field"] in params, (params, error)


def test_the_name_of_the_api_is_hostile_too(app, world):
    for name in ["' OR 1=1 --", "api%27", "..", "数据" * 200, "<script>"]:
        response = app.get(f"/api/data/{name}", status=None)
        assert response.status_code in (400, 404), name
