"""Rebuilding an emptied index: ``ckan search-index rebuild`` and ``ckan govdata search-index rebuild``."""
from __future__ import annotations

import hashlib
import json
from typing import Any

import ckan.model as model
import pytest
from ckan.cli.cli import ckan
from ckan.common import config
from ckan.lib.search.common import make_connection
from ckan.tests.helpers import call_action

from ckanext.govdata.search import cli as search_cli
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

FACETS = ["domain", "organization", "open_condition", "update_frequency", "dataset_type", "res_format", "tags"]


@pytest.fixture
def catalogue() -> dict[str, Any]:
    transport = factories.department(title="绍兴市交通运输局", department_code="JTJ")
    ecology = factories.department(title="绍兴市生态环境局", department_code="STHJJ")
    return {
        "bus": factories.dataset(transport["id"], title="2023年公交客运量统计数据", tag_string="公交,客运"),
        "routes": factories.dataset(transport["id"], title="城市公交线路", open_condition="conditional"),
        "taxi": factories.dataset(transport["id"], title="出租车GPS轨迹", update_frequency="REAL_TIME", private=True),
        "air": factories.dataset(ecology["id"], title="PM2.5空气质量监测", domain="environment"),
        "api": factories.dataservice(transport["id"], title="公交实时到站查询接口"),
    }


def _search(**params: Any) -> dict[str, Any]:
    context = {**factories.site_context(), "ignore_auth": False}
    return call_action(
        "package_search",
        context,
        rows=100,
        sort="name asc",
        include_private=True,
        **{"facet.field": FACETS, "facet.limit": -1},
        **params,
    )


def _snapshot() -> dict[str, Any]:
    """What users see: every listing field, the facets and a few Chinese queries."""
    everything = _search(q="*:*")
    return {
        "count": everything["count"],
        "results": [
            {key: package.get(key) for key in ("name", "title", "private", "domain", "open_condition", "num_resources")}
            for package in everything["results"]
        ],
        "facets": everything["facets"],
        "queries": {q: [package["name"] for package in _search(q=q)["results"]] for q in ("公交", "公交客运", "GPS", "pm2.5")},
    }


def _empty_index() -> None:
    connection = make_connection()
    connection.delete(q=f'site_id:"{config["ckan.site_id"]}"', commit=True)
    assert connection.search("*:*", rows=0).hits == 0


@pytest.mark.parametrize("command", [["search-index", "rebuild"], ["govdata", "search-index", "rebuild"]])
def test_rebuild_restores_an_emptied_index(cli, catalogue, command):
    before = _snapshot()
    assert before["count"] == 5
    assert before["queries"]["公交"] == sorted([catalogue["bus"]["name"], catalogue["routes"]["name"], catalogue["api"]["name"]])
    _empty_index()
    assert _search(q="*:*")["count"] == 0

    result = cli.invoke(ckan, command)

    assert result.exit_code == 0, result.output
    assert _snapshot() == before


def test_govdata_rebuild_shows_progress_and_rate(cli, catalogue):
    _empty_index()

    result = cli.invoke(ckan, ["govdata", "search-index", "rebuild", "--batch-size", "2"])

    assert result.exit_code == 0, result.output
    assert "Indexing datasets" in result.output
    assert "Indexed 5 of 5 datasets in " in result.output
    assert "datasets/s" in result.output


def test_govdata_rebuild_indexes_the_rest_and_names_a_broken_dataset(cli, catalogue):
    # A legacy extra that Solr's int field views_total rejects: that one dataset cannot be indexed.
    broken = model.Package.get(catalogue["air"]["id"])
    broken.extras = {**(broken.extras or {}), "views_total": "many"}
    model.Session.commit()
    _empty_index()

    result = cli.invoke(ckan, ["govdata", "search-index", "rebuild"])

    assert result.exit_code == 1
    assert "Indexed 4 of 5 datasets" in result.output
    assert catalogue["air"]["id"] in result.output
    assert "1 dataset(s) could not be indexed" in result.output
    names = {package["name"] for package in _search(q="*:*")["results"]}
    assert names == {catalogue[key]["name"] for key in ("bus", "routes", "taxi", "api")}


def test_govdata_rebuild_removes_datasets_no_longer_in_the_database(cli, catalogue, monkeypatch):
    # Three orphans, removed two per delete query: a batch and a part of one. The last is private,
    # which CKAN's get_orphans (public datasets only) would leave in the index.
    monkeypatch.setattr(search_cli, "ORPHANS_PER_DELETE", 2)
    site_id = config["ckan.site_id"]
    orphans = {f"6f1c2d3e-0000-4000-8000-00000000000{number}": f"purged-long-ago-{number}" for number in range(3)}
    make_connection().add(
        [
            {
                "id": orphan_id,
                "index_id": hashlib.md5(f"{orphan_id}{site_id}".encode()).hexdigest(),
                "site_id": site_id,
                "entity_type": "package",
                "dataset_type": "dataset",
                "state": "active",
                "capacity": "private" if number == 2 else "public",
                "permission_labels": ["public"],
                "name": name,
                "title": "已删除的公交数据",
                "metadata_modified": "2020-01-01T00:00:00Z",
                "data_dict": json.dumps({"name": name}),
                "validated_data_dict": json.dumps({"name": name}),
            }
            for number, (orphan_id, name) in enumerate(orphans.items())
        ],
        commit=True,
    )
    assert _search(q="*:*")["count"] == 8

    result = cli.invoke(ckan, ["govdata", "search-index", "rebuild"])

    assert result.exit_code == 0, result.output
    assert "removed 3 orphaned" in result.output
    names = {package["name"] for package in _search(q="*:*")["results"]}
    assert names == {catalogue[key]["name"] for key in ("bus", "routes", "taxi", "air", "api")}
