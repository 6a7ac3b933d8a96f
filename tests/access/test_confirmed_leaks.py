"""The leaks confirmed from outside (issue #11), each reproduced over real HTTP.

Every guard must decide on the value CKAN itself will use, resource ids are never handed to a
second dataset, CSRF checks hold for cookie sessions whatever token calls came before, and no
search parameter returns the location of data the caller may not use.
"""
from __future__ import annotations

import json
import re
import uuid
from typing import Any

import pytest
from ckan import model
from ckan.tests.helpers import call_action

from tests import factories

pytestmark = [
    pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins"),
]

SUBJECT = "91330600MA2BC0JX1X"
SECRET_ENDPOINT = "https://gateway.sx.gov.cn/secret/tax-records-7f3a9"
SECRET_LINK = "https://files.sx.gov.cn/private/licences-4b1c.xlsx"


def _headers(actor: dict[str, Any] | None) -> dict[str, str]:
    return {"Authorization": actor["token"]} if actor else {}


def _api(app, actor, action: str, status: int | None = None, **params: Any):
    return app.post(f"/api/3/action/{action}", json=params, headers=_headers(actor), status=status)


# --- 1. Parameter aliasing -----------------------------------------------------------------------


@pytest.fixture
def tables() -> dict[str, Any]:
    department = factories.department()
    public = factories.dataset(department["id"])
    public_table = factories.datastore_resource(public["id"])
    restricted = factories.conditional_dataset(department["id"])
    restricted_table = next(r for r in restricted["resources"] if r.get("datastore_active"))
    subject = factories.user()
    factories.grant(subject["id"], restricted["id"], row_filter={"column": "credit_code", "value": SUBJECT})
    return {"public": public_table, "restricted": restricted_table, "package": restricted, "subject": subject}


@pytest.mark.parametrize("spelling", [
    {"resource_id": "{public}", "id": "{restricted}"},
    {"id": "{restricted}"},
    {"resource_id": "{restricted}", "id": "{restricted}"},
])
def test_a_row_filtered_grantee_gets_only_the_subjects_rows_however_the_table_is_named(app, tables, spelling):
    from ckanext.govdata.grants import AccessLog

    params = {key: value.format(**{k: tables[k]["id"] for k in ("public", "restricted")}) for key, value in spelling.items()}

    records = _api(app, tables["subject"], "datastore_search", **params).json["result"]["records"]

    assert [row["credit_code"] for row in records] == [SUBJECT]
    logged = model.Session.query(AccessLog).filter(AccessLog.resource_id == tables["restricted"]["id"]).all()
    assert [(row.channel, row.amount) for row in logged] == [("datastore_search", 1)]


def test_the_restricted_table_named_as_id_is_refused_to_others(app, tables):
    for actor in (None, factories.user()):
        response = _api(app, actor, "datastore_search", status=403,
                        resource_id=tables["public"]["id"], id=tables["restricted"]["id"])
        assert "绍兴" not in response.get_data(as_text=True)


def test_a_datastore_alias_of_the_restricted_table_is_refused_and_filtered(app, tables):
    alias = f"restricted_alias_{uuid.uuid4().hex[:8]}"
    call_action(
        "datastore_create", factories.site_context(), resource_id=tables["restricted"]["id"], aliases=alias, force=True,
    )

    _api(app, None, "datastore_search", status=403, resource_id=alias)
    rows = _api(app, tables["subject"], "datastore_search", id=alias).json["result"]["records"]

    assert [row["credit_code"] for row in rows] == [SUBJECT]


def test_table_metadata_is_not_served_to_the_public(app, tables):
    response = _api(app, None, "datastore_search", status=403, resource_id="_table_metadata")
    assert tables["restricted"]["id"] not in response.get_data(as_text=True)
    dump = app.get("/datastore/dump/_table_metadata", status=None)
    assert dump.status_code in (403, 404)
    assert tables["restricted"]["id"] not in dump.get_data(as_text=True)


# --- 2. Deleted resource ids ----------------------------------------------------------------------


@pytest.fixture
def deleted_upload() -> dict[str, Any]:
    department = factories.department()
    dataset = factories.conditional_dataset(department["id"])
    upload = next(r for r in dataset["resources"] if r.get("url_type") == "upload")
    call_action("resource_delete", factories.site_context(), id=upload["id"])
    return {"dataset": dataset, "upload": upload}


def _download_status(app, package_id: str, resource_id: str) -> int:
    return app.get(f"/dataset/{package_id}/resource/{resource_id}/download/data.csv", status=None).status_code


def test_an_editor_of_another_department_cannot_take_over_a_deleted_resource(app, deleted_upload):
    other = factories.department()
    editor = factories.member(other["id"])
    own = factories.dataset(other["id"])

    response = _api(app, editor, "resource_create", status=409, package_id=own["id"],
                    id=deleted_upload["upload"]["id"], url="data.csv", url_type="upload", name="抢占")

    assert "id" in response.json["error"]
    assert model.Resource.get(deleted_upload["upload"]["id"]).package_id == deleted_upload["dataset"]["id"]
    assert _download_status(app, own["id"], deleted_upload["upload"]["id"]) in (403, 404)
    assert _download_status(app, deleted_upload["dataset"]["id"], deleted_upload["upload"]["id"]) in (403, 404)


def test_a_registered_user_cannot_take_over_a_deleted_resource_into_a_showcase(app, deleted_upload):
    author = factories.user()
    showcase = factories.showcase(author)

    _api(app, author, "resource_create", status=409, package_id=showcase["id"],
         id=deleted_upload["upload"]["id"], url="data.csv", url_type="upload", name="抢占")

    assert model.Resource.get(deleted_upload["upload"]["id"]).package_id == deleted_upload["dataset"]["id"]


def test_nor_through_package_update_or_by_the_department_itself(app, deleted_upload):
    sysadmin = factories.sysadmin()
    other = factories.dataset(factories.department()["id"])
    for package_id in (other["id"], deleted_upload["dataset"]["id"]):
        package = call_action("package_show", id=package_id)
        resources = package["resources"] + [{"id": deleted_upload["upload"]["id"], "url": "x.csv", "name": "复活"}]
        response = _api(app, sysadmin, "package_update", status=409, **{**package, "resources": resources})
        assert "resources" in response.json["error"]
    assert model.Resource.get(deleted_upload["upload"]["id"]).state == "deleted"


def test_an_active_resource_cannot_move_to_another_dataset(app):
    department = factories.department()
    source = factories.conditional_dataset(department["id"])
    upload = next(r for r in source["resources"] if r.get("url_type") == "upload")
    target = factories.dataset(department["id"])
    editor = factories.member(department["id"])

    _api(app, editor, "resource_create", status=409, package_id=target["id"], id=upload["id"], url="a.csv", name="搬")

    assert model.Resource.get(upload["id"]).package_id == source["id"]
    assert _download_status(app, source["id"], upload["id"]) == 403


def test_an_existing_resource_is_still_updated_in_place(app):
    department = factories.department()
    dataset = factories.dataset(department["id"])
    upload = factories.uploaded_resource(dataset["id"])
    editor = factories.member(department["id"])

    updated = _api(app, editor, "resource_patch", id=upload["id"], name="新名称").json["result"]

    assert updated["name"] == "新名称" and updated["package_id"] == dataset["id"]


# --- 3. CSRF ---------------------------------------------------------------------------------------


def _sign_in(app, person: dict[str, Any]) -> None:
    page = app.get("/user/login").get_data(as_text=True)
    token = re.search(r'name="_csrf_token" value="([^"]+)"', page).group(1)
    response = app.post(
        "/user/login", data={"login": person["name"], "password": "correct123", "_csrf_token": token},
        status=None, follow_redirects=False,
    )
    assert response.status_code == 302, response.status_code


@pytest.fixture
def reviewer_world() -> dict[str, Any]:
    department = factories.department()
    dataset = factories.conditional_dataset(department["id"], data_subject_type="none")
    reviewer = factories.user(password="correct123")
    call_action(
        "organization_member_create", factories.site_context(), id=department["id"],
        username=reviewer["name"], role="editor",
    )
    request = factories.access_request(factories.user(), dataset["id"])
    call_action("govdata_access_request_review", {"user": factories.sysadmin()["name"]}, id=request["id"],
                outcome="pass")
    return {"department": department, "reviewer": reviewer, "request": request}


@pytest.mark.ckan_config("WTF_CSRF_ENABLED", True)
def test_a_cross_site_post_cannot_approve_a_request_after_a_token_call_to_the_same_page(app, reviewer_world):
    reviewer, request = reviewer_world["reviewer"], reviewer_world["request"]
    url = f"/access/request/{request['id']}/act"
    # A token-authenticated call to the same view (answered without a CSRF token).
    app.post(url, data={"operation": "comment"}, headers=_headers(reviewer), status=None)

    client = app.test_client(use_cookies=True)
    _sign_in(client, reviewer)
    forged = client.post(url, data={"operation": "approve", "reason": "同意"},
                         headers={"Origin": "https://evil.example"}, status=None)

    assert forged.status_code == 400
    state = call_action("govdata_access_request_show", factories.site_context(), id=request["id"])["state"]
    assert state != "approved"


@pytest.mark.ckan_config("WTF_CSRF_ENABLED", True)
def test_the_new_dataset_form_keeps_checking_its_token(app):
    department = factories.department()
    editor = factories.user(password="correct123")
    call_action("organization_member_create", factories.site_context(), id=department["id"],
                username=editor["name"], role="editor")
    app.post("/dataset/new", data={"name": "via-token"}, headers=_headers(editor), status=None)

    client = app.test_client(use_cookies=True)
    _sign_in(client, editor)
    forged = client.post("/dataset/new", data={"name": "forged-dataset", "title": "伪造", "owner_org": department["id"]},
                         status=None)

    assert forged.status_code == 400
    assert model.Package.get("forged-dataset") is None


# --- 4. Search ------------------------------------------------------------------------------------


@pytest.fixture
def hidden_locations() -> dict[str, Any]:
    department = factories.department()
    service = factories.dataservice(department["id"], open_condition="conditional", api_endpoint=SECRET_ENDPOINT)
    linked = factories.dataset(department["id"], open_condition="conditional")
    call_action("resource_create", factories.site_context(), package_id=linked["id"], url=SECRET_LINK,
                name="许可证", format="XLSX")
    return {"service": service, "linked": linked, "department": department}


def _leaks(response) -> bool:
    text = response.get_data(as_text=True)
    return SECRET_ENDPOINT in text or SECRET_LINK in text or "tax-records-7f3a9" in text or "licences-4b1c" in text


@pytest.mark.parametrize("params", [
    {"q": "*:*"},
    {"q": "*:*", "use_default_schema": True},
    {"q": "*:*", "fl": "name,res_url,api_endpoint,extras_api_endpoint,validated_data_dict,data_dict,urls"},
    {"q": "*:*", "fl": "*"},
    {"q": "*:*", "facet.field": '["res_url", "api_endpoint", "extras_api_endpoint", "urls", "text"]'},
    {"q": "api_endpoint:*secret* OR extras_api_endpoint:secret OR res_url:*private* OR urls:licences"},
    # The withheld locations' own words: typed text matches on most of its words (#13), so a
    # query holding other words too may find datasets by those; these words are in no other field.
    {"q": "7f3a9"},
    {"q": "licences"},
    {"q": "4b1c"},
    {"q": "gateway"},
])
def test_search_returns_no_withheld_location(app, hidden_locations, params):
    response = _api(app, factories.user(), "package_search", status=None, **params)

    assert response.status_code in (200, 409), response.status_code
    assert not _leaks(response)
    if response.status_code == 200 and params["q"] != "*:*":
        assert response.json["result"]["count"] == 0


@pytest.mark.parametrize("fl", ["x:validated_data_dict", "name,x:data_dict", "sum(1,1)", "[json]", "{!func}1",
                                "name,*_dict"])
def test_renamed_or_computed_result_fields_are_refused_to_the_public(app, hidden_locations, fl):
    response = _api(app, None, "package_search", status=409, q="*:*", fl=fl)

    assert "fl" in response.json["error"]
    assert not _leaks(response)


def test_facets_outside_the_public_list_are_refused(app, hidden_locations):
    response = _api(app, None, "package_search", status=409, q="*:*", **{"facet.field": '["res_url"]'})

    assert "facet.field" in response.json["error"]
    allowed = _api(app, None, "package_search", q="*:*", **{"facet.field": '["domain", "res_format"]'})
    assert "domain" in allowed.json["result"]["search_facets"]


def test_the_department_still_finds_its_own_locations(app, hidden_locations):
    staff = factories.member(hidden_locations["department"]["id"])

    result = _api(app, staff, "package_search", q="*:*", rows=10).json["result"]
    endpoints = {row["name"]: row.get("api_endpoint") for row in result["results"]}
    links = [r["url"] for row in result["results"] for r in row["resources"]]

    assert endpoints[hidden_locations["service"]["name"]] == SECRET_ENDPOINT
    assert SECRET_LINK in links


def test_a_conditional_dataservice_endpoint_is_blank_in_package_show_with_the_default_schema(app, hidden_locations):
    for params in ({}, {"use_default_schema": True}):
        response = _api(app, None, "package_show", id=hidden_locations["service"]["id"], **params)
        assert not _leaks(response), params
    raw = json.dumps(call_action("package_show", id=hidden_locations["service"]["id"]))
    assert SECRET_ENDPOINT in raw
