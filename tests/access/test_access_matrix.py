"""The access matrix: every data path × every kind of caller, over real HTTP.

A conditional dataset (an uploaded file and a datastore table) is allowed to its grantee, its
own department, and sysadmins; everyone else is refused on every path, and no usable download
URL reaches them through metadata, search, RDF or the activity stream.
"""
from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from typing import Any

import pytest
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.govdata import workdays
from tests import factories

pytestmark = [
    pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins"),
    pytest.mark.ckan_config("ckan.datastore.sqlsearch.enabled", True),
]

ACTORS = [
    "anonymous",
    "registered",
    "grantee",
    "expired_grantee",
    "revoked_grantee",
    "other_department_staff",
    "own_department_staff",
    "sysadmin",
]
ALLOWED = {"grantee", "own_department_staff", "sysadmin"}
# CKAN shows the detail of activities (and so their diffs) only to the dataset's editors,
# unless ckan.auth.public_activity_stream_detail is set (see the test below).
EDITORS_ONLY_PATHS = {"activity_diff"}
EDITORS = {"own_department_staff", "sysadmin"}


def _member(department_id: str, role: str) -> dict[str, Any]:
    person = factories.user()
    call_action(
        "organization_member_create", factories.site_context(), id=department_id, username=person["name"], role=role
    )
    return person


@pytest.fixture
def world() -> dict[str, Any]:
    department = factories.department()
    other = factories.department()
    dataset = factories.conditional_dataset(department["id"])
    today = workdays.today()
    actors: dict[str, Any] = {"anonymous": None, "registered": factories.user(), "sysadmin": factories.sysadmin()}
    actors["grantee"] = factories.user()
    factories.grant(actors["grantee"]["id"], dataset["id"])
    actors["expired_grantee"] = factories.user()
    factories.grant(
        actors["expired_grantee"]["id"], dataset["id"],
        starts_on=today - dt.timedelta(days=60), expires_on=today - dt.timedelta(days=1),
    )
    actors["revoked_grantee"] = factories.user()
    factories.grant(actors["revoked_grantee"]["id"], dataset["id"], revoked_at=dt.datetime(2026, 1, 1))
    actors["other_department_staff"] = _member(other["id"], "editor")
    actors["own_department_staff"] = _member(department["id"], "editor")
    # The site user's own edits are hidden from activity streams; a curator's edit is not.
    call_action(
        "package_patch", {"user": actors["own_department_staff"]["name"]}, id=dataset["id"], notes="已校核。"
    )
    upload = next(r for r in dataset["resources"] if r.get("url_type") == "upload")
    table = next(r for r in dataset["resources"] if r.get("datastore_active"))
    return {"dataset": dataset, "upload": upload, "table": table, "actors": actors}


def _headers(actor: dict[str, Any] | None) -> dict[str, str]:
    return {"Authorization": actor["token"]} if actor else {}


def _api(app, actor, action: str, status: int | None = None, **params: Any):
    return app.post(f"/api/3/action/{action}", json=params, headers=_headers(actor), status=status)


def _upload_urls(resources: list[dict[str, Any]], upload_id: str) -> list[str]:
    return [r["url"] for r in resources if r["id"] == upload_id and r.get("url")]


PathCheck = Callable[[Any, Any, dict[str, Any]], bool]


def _download(app, actor, world) -> bool:
    upload = world["upload"]
    url = f"/dataset/{world['dataset']['id']}/resource/{upload['id']}/download/data.csv"
    response = app.get(url, headers=_headers(actor), status=None)
    assert response.status_code in (200, 403), response.status_code
    return response.status_code == 200 and b"route_no" in response.data


def _resource_show(app, actor, world) -> bool:
    result = _api(app, actor, "resource_show", id=world["upload"]["id"]).json["result"]
    return bool(result["url"])


def _package_show(app, actor, world) -> bool:
    result = _api(app, actor, "package_show", id=world["dataset"]["id"]).json["result"]
    return bool(_upload_urls(result["resources"], world["upload"]["id"]))


def _package_search(app, actor, world) -> bool:
    result = _api(app, actor, "package_search", q=f"id:{world['dataset']['id']}").json["result"]
    assert result["count"] == 1
    return bool(_upload_urls(result["results"][0]["resources"], world["upload"]["id"]))


def _package_search_raw_fields(app, actor, world) -> bool:
    fields = "name,res_url,validated_data_dict"
    row = _api(app, actor, "package_search", q=f"id:{world['dataset']['id']}", fl=fields).json["result"]["results"][0]
    download = f"/resource/{world['upload']['id']}/download"
    return any(download in url for url in row.get("res_url", [])) or download in row.get("validated_data_dict", "")


def _datastore_search(app, actor, world) -> bool:
    response = _api(app, actor, "datastore_search", status=None, resource_id=world["table"]["id"])
    assert response.status_code in (200, 403), response.status_code
    return response.status_code == 200 and len(response.json["result"]["records"]) == 2


def _datastore_search_sql(app, actor, world) -> bool:
    sql = f'SELECT company FROM "{world["table"]["id"]}"'
    response = _api(app, actor, "datastore_search_sql", status=None, sql=sql)
    assert response.status_code in (200, 403), response.status_code
    return response.status_code == 200 and len(response.json["result"]["records"]) == 2


def _datastore_dump(app, actor, world) -> bool:
    response = app.get(f"/datastore/dump/{world['table']['id']}", headers=_headers(actor), status=None)
    assert response.status_code in (200, 403), response.status_code
    return response.status_code == 200 and "绍兴甲公司" in response.get_data(as_text=True)


def _dataset_rdf(app, actor, world) -> bool:
    response = app.get(f"/dataset/{world['dataset']['id']}.ttl", headers=_headers(actor))
    return f"/resource/{world['upload']['id']}/download" in response.get_data(as_text=True)


def _catalog_rdf(app, actor, world) -> bool:
    response = app.get("/catalog.ttl", headers=_headers(actor))
    return f"/resource/{world['upload']['id']}/download" in response.get_data(as_text=True)


def _activity_stream(app, actor, world) -> bool:
    activities = _api(app, actor, "package_activity_list", id=world["dataset"]["id"]).json["result"]
    urls = []
    for activity in activities:
        package = (activity.get("data") or {}).get("package") or {}
        urls += _upload_urls(package.get("resources") or [], world["upload"]["id"])
    return bool(urls)


def _activity_diff(app, actor, world) -> bool:
    activities = _api(app, actor, "package_activity_list", id=world["dataset"]["id"]).json["result"]
    response = _api(app, actor, "activity_diff", status=None, id=activities[0]["id"], object_type="package")
    assert response.status_code in (200, 403), response.status_code
    return response.status_code == 200


def _dataset_page(app, actor, world) -> bool:
    page = app.get(f"/dataset/{world['dataset']['name']}", headers=_headers(actor)).get_data(as_text=True)
    return f"/resource/{world['upload']['id']}/download" in page


def _resource_page(app, actor, world) -> bool:
    url = f"/dataset/{world['dataset']['name']}/resource/{world['upload']['id']}"
    page = app.get(url, headers=_headers(actor)).get_data(as_text=True)
    return f"/resource/{world['upload']['id']}/download" in page


PATHS: dict[str, PathCheck] = {
    "download": _download,
    "resource_show": _resource_show,
    "package_show": _package_show,
    "package_search": _package_search,
    "package_search_fl": _package_search_raw_fields,
    "datastore_search": _datastore_search,
    "datastore_search_sql": _datastore_search_sql,
    "datastore_dump": _datastore_dump,
    "dataset_rdf": _dataset_rdf,
    "catalog_rdf": _catalog_rdf,
    "activity_stream": _activity_stream,
    "activity_diff": _activity_diff,
    "dataset_page": _dataset_page,
    "resource_page": _resource_page,
}


@pytest.mark.parametrize("actor_name", ACTORS)
def test_every_data_path_serves_conditional_data_only_to_those_allowed(app, world, actor_name):
    actor = world["actors"][actor_name]

    outcome = {path: check(app, actor, world) for path, check in PATHS.items()}

    assert outcome == {
        path: actor_name in (EDITORS if path in EDITORS_ONLY_PATHS else ALLOWED) for path in PATHS
    }


@pytest.mark.ckan_config("ckan.auth.public_activity_stream_detail", True)
@pytest.mark.parametrize("actor_name", ["registered", "grantee", "revoked_grantee"])
def test_public_activity_detail_still_hides_diffs_of_withheld_data(app, world, actor_name):
    assert _activity_diff(app, world["actors"][actor_name], world) == (actor_name in ALLOWED)


def _curated(department_id: str, dataset_id: str) -> dict[str, Any]:
    """The dataset after an edit by one of its department's editors (visible in its activity)."""
    curator = _member(department_id, "editor")
    call_action("package_patch", {"user": curator["name"]}, id=dataset_id, notes="已校核。")
    return call_action("package_show", id=dataset_id)


@pytest.mark.ckan_config("ckan.auth.public_activity_stream_detail", True)
def test_an_unconditional_dataset_serves_everyone(app):
    department = factories.department()
    dataset = factories.dataset(department["id"])
    upload = factories.uploaded_resource(dataset["id"])
    table = factories.datastore_resource(dataset["id"])
    world = {"dataset": _curated(department["id"], dataset["id"]), "upload": upload, "table": table}

    outcome = {path: check(app, None, world) for path, check in PATHS.items()}

    assert outcome == {path: True for path in PATHS}


def test_a_not_open_dataset_serves_no_one_but_its_department_and_sysadmins(app):
    department = factories.department()
    dataset = factories.conditional_dataset(department["id"], open_condition="not-open")
    dataset = _curated(department["id"], dataset["id"])
    grantee = factories.user()
    # Even a stray grant (left from when the dataset was conditional) opens nothing.
    factories.grant(grantee["id"], dataset["id"])
    world = {
        "dataset": dataset,
        "upload": next(r for r in dataset["resources"] if r.get("url_type") == "upload"),
        "table": next(r for r in dataset["resources"] if r.get("datastore_active")),
    }

    assert not any(check(app, grantee, world) for check in PATHS.values())
    assert all(check(app, factories.sysadmin(), world) for check in PATHS.values())


def test_a_public_sample_of_a_conditional_dataset_is_open_to_everyone(app):
    dataset = factories.dataset(factories.department()["id"], open_condition="conditional")
    sample = factories.uploaded_resource(dataset["id"], public_sample="true")
    url = f"/dataset/{dataset['id']}/resource/{sample['id']}/download/data.csv"

    assert app.get(url, status=200).data.startswith(b"route_no")
    assert _api(app, None, "resource_show", id=sample["id"]).json["result"]["url"]


def test_a_grant_for_some_resources_opens_only_those(app):
    department = factories.department()
    dataset = factories.conditional_dataset(department["id"])
    upload = next(r for r in dataset["resources"] if r.get("url_type") == "upload")
    table = next(r for r in dataset["resources"] if r.get("datastore_active"))
    grantee = factories.user()
    factories.grant(grantee["id"], dataset["id"], resource_ids=[table["id"]])
    world = {"dataset": dataset, "upload": upload, "table": table}

    assert _datastore_search(app, grantee, world)
    assert not _download(app, grantee, world)
    assert not _resource_show(app, grantee, world)


def test_a_data_subject_grant_returns_only_the_subjects_rows_and_no_sql(app):
    dataset = factories.conditional_dataset(factories.department()["id"])
    table = next(r for r in dataset["resources"] if r.get("datastore_active"))
    subject = factories.user()
    factories.grant(
        subject["id"], dataset["id"], row_filter={"column": "credit_code", "value": "91330600MA2BC0JX1X"}
    )

    records = _api(app, subject, "datastore_search", resource_id=table["id"]).json["result"]["records"]
    widened = _api(
        app, subject, "datastore_search", resource_id=table["id"],
        filters=json.dumps({"credit_code": "91330600MA2BC0KY2Y"}),
    ).json["result"]["records"]
    sql = _api(app, subject, "datastore_search_sql", status=403, sql=f'SELECT * FROM "{table["id"]}"')

    upload = next(r for r in dataset["resources"] if r.get("url_type") == "upload")
    world = {"dataset": dataset, "upload": upload, "table": table}

    assert [row["company"] for row in records] == ["绍兴甲公司"]
    assert [row["company"] for row in widened] == ["绍兴甲公司"]
    assert sql.json["success"] is False
    # A file holds every subject's rows: a subject's grant does not open it.
    assert not _download(app, subject, world)
    assert not _resource_show(app, subject, world)


@pytest.mark.ckan_config("ckanext.govdata.list_not_open", False)
def test_not_open_datasets_can_be_unlisted_except_for_their_department(app):
    department = factories.department()
    hidden = factories.dataset(department["id"], open_condition="not-open")
    listed = factories.dataset(department["id"], open_condition="conditional")
    staff = _member(department["id"], "editor")

    def names(actor):
        result = _api(app, actor, "package_search", q="*:*").json["result"]
        return {row["name"] for row in result["results"]}

    assert names(None) == {listed["name"]}
    assert names(staff) == {listed["name"], hidden["name"]}
    _api(app, None, "package_show", status=403, id=hidden["id"])
    assert _api(app, staff, "package_show", id=hidden["id"]).json["result"]["name"] == hidden["name"]


def test_sql_joining_an_open_and_a_restricted_table_is_refused(app):
    department = factories.department()
    open_dataset = factories.dataset(department["id"])
    open_table = factories.datastore_resource(open_dataset["id"])
    restricted = factories.conditional_dataset(department["id"])
    restricted_table = next(r for r in restricted["resources"] if r.get("datastore_active"))
    sql = (
        f'SELECT a.company FROM "{open_table["id"]}" a '
        f'JOIN "{restricted_table["id"]}" b ON a.credit_code = b.credit_code'
    )

    _api(app, factories.user(), "datastore_search_sql", status=403, sql=sql)
    assert _api(app, None, "datastore_search_sql", sql=f'SELECT * FROM "{open_table["id"]}"').json["success"]


def test_grantees_reads_are_logged_with_their_amount(app):
    from ckanext.govdata.access.model import AccessLog

    dataset = factories.conditional_dataset(factories.department()["id"])
    upload = next(r for r in dataset["resources"] if r.get("url_type") == "upload")
    table = next(r for r in dataset["resources"] if r.get("datastore_active"))
    grantee = factories.user()
    factories.grant(grantee["id"], dataset["id"])
    world = {"dataset": dataset, "upload": upload, "table": table}

    _download(app, grantee, world)
    _datastore_search(app, grantee, world)
    _datastore_search(app, factories.sysadmin(), world)

    logged = {(row.channel, row.amount, row.unit) for row in model.Session.query(AccessLog)}
    assert logged == {("download", upload["size"], "bytes"), ("datastore_search", 2, "rows")}
