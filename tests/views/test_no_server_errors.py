"""Requests that made CKAN answer 500 (issue #11): each is now a 4xx with a clear message.

The view plugins are loaded as in production (datatables_view, text_view, image_view).
"""
from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlsplit

import pytest
from ckan.tests.helpers import call_action

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

WRONG_IDENTIFIERS = [["a", "b"], {"id": "x"}, 42, 4.2, True]


def _headers(actor: dict[str, Any] | None) -> dict[str, str]:
    return {"Authorization": actor["token"]} if actor else {}


@pytest.fixture
def conditional() -> dict[str, Any]:
    dataset = factories.conditional_dataset(factories.department()["id"])
    table = next(r for r in dataset["resources"] if r.get("datastore_active"))
    view = call_action("resource_view_create", factories.site_context(), resource_id=table["id"],
                       view_type="datatables_view", title="表格")
    return {"dataset": dataset, "table": table, "view": view}


@pytest.mark.parametrize("actor_kind", ["anonymous", "registered"])
def test_the_page_of_a_conditional_table_renders_without_its_rows(app, conditional, actor_kind):
    actor = factories.user() if actor_kind == "registered" else None
    url = f"/dataset/{conditional['dataset']['name']}/resource/{conditional['table']['id']}"

    response = app.get(url, headers=_headers(actor), status=None)

    assert response.status_code == 200
    assert "绍兴甲公司" not in response.get_data(as_text=True)
    view = app.get(f"{url}/view/{conditional['view']['id']}", headers=_headers(actor), status=None)
    assert view.status_code in (200, 403)
    assert "绍兴甲公司" not in view.get_data(as_text=True)


def test_the_filtered_download_of_a_conditional_table_is_refused(app, conditional):
    params = {"search": {"value": ""}, "order": [], "visible": [], "columns": []}

    response = app.post(
        f"/datatables/filtered-download/{conditional['view']['id']}",
        data={"params": json.dumps(params), "format": "csv"}, status=None,
    )

    assert response.status_code == 403
    assert "绍兴甲公司" not in response.get_data(as_text=True)


def test_the_datatables_rows_of_a_conditional_table_are_refused(app, conditional):
    response = app.post(f"/datatables/ajax/{conditional['view']['id']}", data={"draw": "1", "start": "0",
                        "length": "10", "search[value]": "", "order[0][column]": "0", "order[0][dir]": "asc"},
                        status=None)

    assert response.status_code == 403
    assert "绍兴甲公司" not in response.get_data(as_text=True)


@pytest.mark.parametrize("action", ["datastore_search", "package_show", "resource_show", "resource_view_list",
                                    "govdata_access_request_update", "govdata_showcase_update",
                                    "govdata_contest_update", "package_collaborator_list"])
@pytest.mark.parametrize("value", WRONG_IDENTIFIERS, ids=["list", "object", "int", "float", "bool"])
def test_an_identifier_of_the_wrong_type_is_a_validation_error(app, action, value):
    response = app.post(f"/api/3/action/{action}", json={"id": value}, headers=_headers(factories.sysadmin()),
                        status=409)

    assert response.json["success"] is False
    assert "id" in response.json["error"]


def test_a_resource_id_of_the_wrong_type_is_a_validation_error(app):
    response = app.post("/api/3/action/datastore_search", json={"resource_id": ["a"]}, status=409)

    assert "resource_id" in response.json["error"]


@pytest.mark.parametrize("path", [
    "/dataset/x/resource/%00/download/data.csv",
    "/dataset/%00",
    "/datastore/dump/%00",
    "/dataset/?q=%00",
])
def test_a_nul_byte_in_the_address_is_a_bad_request(app, path):
    assert app.get(path, status=None).status_code == 400


def test_a_nul_byte_in_an_action_parameter_is_a_validation_error(app):
    response = app.post("/api/3/action/package_search", json={"q": "交通\x00"}, status=409)

    assert "q" in response.json["error"]


@pytest.mark.parametrize("came_from", ["\\\\evil.example", "//evil.example", "/\\evil.example",
                                       "https://evil.example/", "javascript:alert(1)", "/%0d%0aevil"])
def test_login_with_an_offsite_came_from_stays_on_the_site(app, came_from):
    person = factories.user(password="correct123")

    page = app.get("/user/login", query_string={"came_from": came_from}, status=None)
    signed_in = app.post("/user/login", query_string={"came_from": came_from},
                         data={"login": person["name"], "password": "correct123"}, status=None, follow_redirects=False)

    assert page.status_code == 200
    assert signed_in.status_code == 302
    target = urlsplit(signed_in.headers["Location"])
    assert target.scheme == "http" and target.netloc == "test.ckan.net"


def test_a_local_came_from_is_still_followed(app):
    person = factories.user(password="correct123")

    signed_in = app.post("/user/login", query_string={"came_from": "/dataset/"},
                         data={"login": person["name"], "password": "correct123"}, status=None, follow_redirects=False)

    assert signed_in.headers["Location"].endswith("/dataset/")


def test_anonymous_collaborator_list_is_refused(app):
    dataset = factories.dataset(factories.department()["id"])

    response = app.post("/api/3/action/package_collaborator_list", json={"id": dataset["id"]}, status=403)

    assert response.json["success"] is False
    unknown = app.post("/api/3/action/package_collaborator_list", json={"id": "no-such-dataset"},
                       headers=_headers(factories.user()), status=None)
    assert unknown.status_code in (403, 404)
