"""Bad calls get a 400 or 404 JSON error naming the parameter, in Chinese and English; never a 500."""
from __future__ import annotations

import pytest

from tests.dataapi.test_endpoint import served_api
from tests.security import hostile

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


@pytest.fixture
def name() -> str:
    return served_api()["api"]["name"]


# (query string, error code, the parameter named); checked in one test, on one API, to keep it fast.
BAD_CALLS = [
    ({"colour": "red"}, "unknown_parameter", "colour"),
    ({"district": "越城区"}, "unknown_parameter", "district"),  # a field, but not a declared parameter
    ({"station_code__gte": "ST001"}, "unknown_parameter", "station_code__gte"),  # no range on text
    ({"aqi__like": "5"}, "unknown_parameter", "aqi__like"),
    ({"aqi": "fifty"}, "bad_parameter", "aqi"),
    ({"aqi__gte": "1e3"}, "bad_parameter", "aqi__gte"),
    ({"start_date": "yesterday"}, "bad_parameter", "start_date"),
    ({"end_date": "2025-02-30"}, "bad_parameter", "end_date"),
    ({"limit": "1001"}, "limit_too_large", "limit"),
    ({"page_size": "5000"}, "limit_too_large", "page_size"),
    ({"limit": "0"}, "bad_parameter", "limit"),
    ({"limit": "-1"}, "bad_parameter", "limit"),
    ({"offset": "x"}, "bad_parameter", "offset"),
    ({"sort": "colour"}, "bad_parameter", "sort"),
    ({"sort": "aqi; DROP TABLE package"}, "bad_parameter", "sort"),
    ({"fields": "aqi,colour"}, "bad_parameter", "fields"),
    ({"format": "xml"}, "bad_parameter", "format"),
    ({"cursor": "not-a-cursor"}, "bad_cursor", "cursor"),
    ({"cursor": "eyJhZnRlciI6ICJ4In0"}, "bad_cursor", "cursor"),  # {"after": "x"}
    ({"cursor": "eyJhZnRlciI6IDF9", "sort": "aqi"}, "bad_parameter", "cursor"),
    ({"cursor": "eyJhZnRlciI6IDF9", "offset": "3"}, "bad_parameter", "cursor"),
]


def test_a_bad_parameter_is_a_400_naming_it(app, name):
    for params, code, field in BAD_CALLS:
        response = app.get(f"/api/data/{name}", query_string=params, status=400)

        error = response.json["error"]
        assert (error["code"], error["field"]) == (code, field), params
        assert hostile.is_bilingual(error["message"]), error["message"]


def test_a_repeated_parameter_is_refused(app, name):
    response = app.get(f"/api/data/{name}?aqi=1&aqi=2", status=400)

    assert response.json["error"]["code"] == "repeated_parameter"


def test_a_required_parameter_must_be_given(app):
    world = served_api(api_parameters=[{"name": "station_code", "type": "string", "required": "true"}])

    response = app.get(f"/api/data/{world['api']['name']}", status=400)

    assert (response.json["error"]["code"], response.json["error"]["field"]) == ("missing_parameter", "station_code")
    assert app.get(f"/api/data/{world['api']['name']}", query_string={"station_code": "ST001"}).json["total"] == 1


def test_an_unknown_api_is_a_404_in_both_languages(app):
    response = app.get("/api/data/no-such-api", status=404)

    assert response.json["error"]["code"] == "not_found"
    assert hostile.is_bilingual(response.json["error"]["message"])


def test_an_api_without_a_table_is_a_404_saying_so(app):
    from tests import factories

    api = factories.dataservice()

    response = app.get(f"/api/data/{api['name']}", query_string={"route_no": "1"}, status=404)

    assert response.json["error"]["code"] == "no_data"
