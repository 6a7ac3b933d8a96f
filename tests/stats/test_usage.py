"""Downloads and data API calls are counted per resource, dataset, department, caller and day."""
from __future__ import annotations

import io

import ckan.plugins.toolkit as tk
import pytest
import sqlalchemy as sa
from ckan import model
from ckan.lib.redis import connect_to_redis
from ckan.tests.helpers import call_action
from werkzeug.datastructures import FileStorage

from ckanext.govdata import calendar
from ckanext.govdata.stats import counters, subscriptions, usage
from ckanext.govdata.stats.model import Usage
from tests import factories

pytestmark = [
    pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins", "clean_usage"),
    # Flushes happen when a test says so, except in the test of the opportunistic flush.
    pytest.mark.ckan_config("ckanext.govdata.stats.flush_interval", 0),
]


@pytest.fixture
def clean_usage():
    redis = connect_to_redis()
    for key in redis.scan_iter(match=usage._key("*")):
        redis.delete(key)


def uploaded_dataset(department_id: str) -> tuple[dict, dict]:
    dataset = factories.dataset(department_id, domain="health")
    upload = FileStorage(stream=io.BytesIO(b"route_no,passengers\nR1,10\nR2,20\n"), filename="data.csv", content_type="text/csv")
    resource = call_action("resource_create", factories.site_context(), package_id=dataset["id"], name="data", format="CSV", upload=upload)
    call_action(
        "datastore_create",
        factories.site_context(),
        resource_id=resource["id"],
        force=True,
        records=[{"route_no": "R1", "passengers": 10}, {"route_no": "R2", "passengers": 20}],
    )
    return dataset, resource


def usage_rows() -> list[dict]:
    model.Session.remove()
    return [dict(row) for row in model.Session.execute(sa.select(Usage.__table__).order_by("kind", "caller")).mappings()]


def statistics(scope: str = counters.SITE, id: str | None = None) -> dict:
    model.Session.remove()
    return call_action("govdata_statistics", scope=scope, **({"id": id} if id else {}))["usage"]


def test_downloads_are_counted_in_redis_then_flushed_per_department_and_domain(app):
    department = factories.department()
    dataset, resource = uploaded_dataset(department["id"])
    url = f"/dataset/{dataset['id']}/resource/{resource['id']}/download/data.csv"
    for _ in range(3):
        app.get(url, status=200)

    assert statistics()["downloads"] == {"recent": 0, "all_time": 0}
    assert usage.flush() == 3
    assert usage.flush() == 0

    assert statistics()["downloads"] == {"recent": 3, "all_time": 3}
    assert statistics(counters.DEPARTMENT, department["name"])["downloads"]["all_time"] == 3
    assert statistics(counters.DOMAIN, "health")["downloads"]["all_time"] == 3
    assert statistics(counters.DOMAIN, "transport")["downloads"]["all_time"] == 0
    [row] = usage_rows()
    assert (row["kind"], row["package_id"], row["resource_id"], row["department_id"], row["caller"], row["count"]) == (
        usage.DOWNLOAD, dataset["id"], resource["id"], department["id"], usage.ANONYMOUS, 3
    )
    assert row["day"] == calendar.today()


@pytest.mark.ckan_config("ckan.datastore.sqlsearch.enabled", True)
def test_api_calls_are_counted_per_caller_and_internal_calls_are_not(app):
    department = factories.department()
    dataset, resource = uploaded_dataset(department["id"])
    user = factories.user()
    app.post("/api/3/action/datastore_search", json={"resource_id": resource["id"]}, headers={"Authorization": user["token"]}, status=200)
    app.get(f"/api/3/action/datastore_search?resource_id={resource['id']}", status=200)
    sql = f'SELECT count(*) FROM "{resource["id"]}"'
    app.post("/api/3/action/datastore_search_sql", json={"sql": sql}, headers={"Authorization": user["token"]}, status=200)
    call_action("datastore_search", resource_id=resource["id"])
    usage.flush()

    rows = usage_rows()
    callers = {row["caller"]: row["count"] for row in rows}
    token_id = tk.get_action("api_token_list")({"user": user["name"]}, {"user_id": user["id"]})[0]["id"]
    assert callers == {usage.ANONYMOUS: 1, f"token:{token_id}": 2}
    assert {row["package_id"] for row in rows} == {dataset["id"]}
    assert statistics(counters.DEPARTMENT, department["id"])["api_calls"]["all_time"] == 3


def test_failed_calls_and_unknown_resources_are_not_counted_against_a_dataset(app):
    app.post("/api/3/action/datastore_search", json={"resource_id": "no-such-resource"}, status=404)
    usage.flush()
    assert usage_rows() == []


def test_dataservice_calls_arrive_by_signal():
    department = factories.department()
    api = factories.dataservice(department["id"])
    signal = tk.signals.ckanext.signal(subscriptions.DATASERVICE_CALLED)
    signal.send(api["id"])
    signal.send(api["id"])
    usage.flush()

    [row] = usage_rows()
    assert (row["kind"], row["package_id"], row["resource_id"], row["count"]) == (usage.API_CALL, api["id"], "", 2)
    assert statistics(counters.DEPARTMENT, department["id"])["api_calls"] == {"recent": 2, "all_time": 2}


def test_tracking_can_be_switched_off(app, ckan_config, monkeypatch):
    department = factories.department()
    dataset, resource = uploaded_dataset(department["id"])
    monkeypatch.setitem(ckan_config, "ckanext.govdata.stats.tracking", False)
    app.get(f"/dataset/{dataset['id']}/resource/{resource['id']}/download/data.csv", status=200)
    assert usage.flush() == 0


def test_a_request_flushes_when_a_flush_is_due(app, ckan_config, monkeypatch):
    department = factories.department()
    dataset, resource = uploaded_dataset(department["id"])
    monkeypatch.setitem(ckan_config, "ckanext.govdata.stats.flush_interval", 60)
    app.get(f"/dataset/{dataset['id']}/resource/{resource['id']}/download/data.csv", status=200)
    # The first event finds no flush-due marker: it flushes at once and sets the marker.
    assert statistics()["downloads"]["all_time"] == 1
    app.get(f"/dataset/{dataset['id']}/resource/{resource['id']}/download/data.csv", status=200)
    assert statistics()["downloads"]["all_time"] == 1
    usage.flush()
    assert statistics()["downloads"]["all_time"] == 2


def test_a_crashed_flush_leaves_its_increments_for_the_next(monkeypatch):
    department = factories.department()
    api = factories.dataservice(department["id"])
    usage.track(usage.API_CALL, package_id=api["id"])

    def broken(connection, counts):
        raise RuntimeError("database went away")

    monkeypatch.setattr(usage, "_write", broken)
    with pytest.raises(RuntimeError):
        usage.flush()
    monkeypatch.undo()
    assert usage.flush() == 1
    assert statistics()["api_calls"]["all_time"] == 1
