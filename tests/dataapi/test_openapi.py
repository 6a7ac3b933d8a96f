"""OpenAPI 3.1 documents per API and for the portal, valid against the OpenAPI schema
(openapi-spec-validator), and the API's page: endpoint, parameters, examples, try-it form."""
from __future__ import annotations

import html

import pytest
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from tests import factories
from tests.dataapi.test_endpoint import served_api

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def test_an_apis_document_is_valid_openapi_31_from_its_metadata(app):
    world = served_api("conditional")
    name = world["api"]["name"]

    document = app.get(f"/api/data/{name}/openapi.json").json

    validate(document)
    assert document["openapi"] == "3.1.0"
    operation = document["paths"][f"/api/data/{name}"]["get"]
    parameters = {parameter["name"]: parameter for parameter in operation["parameters"]}
    assert {"station_code", "aqi", "aqi__gte", "aqi__lte", "start_date", "end_date", "page_size",
            "fields", "sort", "limit", "offset", "cursor", "format"} <= set(parameters)
    assert "station_code__gte" not in parameters
    assert parameters["aqi"]["schema"] == {"type": "integer"}
    assert parameters["limit"]["schema"]["maximum"] == 1000
    record = document["components"]["schemas"][f"Record_{name}"]["properties"]
    assert record["observed_on"]["type"] == ["string", "null"] and record["observed_on"]["format"] == "date"
    assert record["pm25"]["title"] == "PM2.5浓度"
    assert {"400", "401", "403", "404"} <= set(operation["responses"])
    assert operation["security"] == [{"ckanApiToken": []}, {"appKey": [], "appSecret": []}]
    assert document["components"]["securitySchemes"]["ckanApiToken"]["type"] == "apiKey"
    assert document["components"]["securitySchemes"]["appKey"]["name"] == "X-App-Key"


def test_the_validator_is_real(app):
    document = app.get(f"/api/data/{served_api()['api']['name']}/openapi.json").json
    document["paths"]["/api/data/x"] = {"get": {"responses": "none"}}

    with pytest.raises(OpenAPIValidationError):
        validate(document)


def test_the_portal_document_lists_every_served_api_and_no_other(app):
    open_api = served_api()["api"]
    conditional = served_api("conditional")["api"]
    not_open = served_api("not-open", security_grade="3")["api"]
    without_table = factories.dataservice()

    document = app.get("/api/openapi.json").json

    validate(document)
    assert set(document["paths"]) == {f"/api/data/{open_api['name']}", f"/api/data/{conditional['name']}"}
    assert document["paths"][f"/api/data/{open_api['name']}"]["get"]["security"] == [{}, {"ckanApiToken": []}, {"appKey": [], "appSecret": []}]
    assert not_open["name"] not in str(document) and without_table["name"] not in str(document)


def test_the_api_page_shows_endpoint_parameters_examples_and_try_it_form(app):
    name = served_api()["api"]["name"]

    page = app.get(f"/dataservice/{name}").get_data(as_text=True)
    english = app.get(f"/en/dataservice/{name}").get_data(as_text=True)

    assert "本平台数据接口" in page and "Data API on this portal" in english
    assert f"/api/data/{name}" in page and f"/api/data/{name}/openapi.json" in page
    assert "<code>aqi__gte</code>" in page
    assert f'curl "http://test.ckan.net/api/data/{name}?station_code=…&limit=10"' in html.unescape(page)
    assert "import requests" in page
    assert f'class="govdata-dataapi-try row g-2" method="get" action="/api/data/{name}"' in page


def test_a_not_open_apis_page_shows_no_endpoint(app):
    name = served_api("not-open", security_grade="3")["api"]["name"]

    page = app.get(f"/dataservice/{name}", extra_environ={}, status=200).get_data(as_text=True)

    assert "/api/data/" not in page
