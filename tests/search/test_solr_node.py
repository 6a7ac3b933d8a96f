"""The local Solr node (bin/solr.sh) with govdata's configset (config/solr).

Needs a running Solr only, no CKAN app: documents are indexed the way CKAN's
PackageSearchIndex shapes them and searched through CKAN's own PackageSearchQuery, so the
dismax parameters (qf, mm, q.op, tie) are exactly the ones the portal sends. Run with
``pytest tests/search/test_solr_node.py -p no:ckan`` or as part of the whole suite.
"""
from __future__ import annotations

import hashlib
import json
import os
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pysolr
import pytest
import requests
from ckan.common import config

REPO = Path(__file__).resolve().parents[2]
SOLR_URL = os.environ.get("GOVDATA_TEST_SOLR_URL", "http://127.0.0.1:8983/solr/ckan_test")

BUS_RIDERSHIP = "bus-ridership-2023"
BUS_ROUTES = "bus-routes"
AIR_QUALITY = "air-quality-pm25"
TAXI_GPS = "taxi-gps-tracks"
TRANSPORT_REPORT = "transport-annual-report"
BUS_AND_COACH = "road-transport-statistics"
METRO = "metro-ridership-2022"


def solr_document(site_id: str, name: str, title: str, notes: str = "", **fields: Any) -> dict[str, Any]:
    """A dataset as CKAN's PackageSearchIndex sends it: scheming fields both top level and as
    extras_* (the default show schema keeps them in extras), plus the bookkeeping fields."""
    document: dict[str, Any] = {
        "id": name,
        "index_id": hashlib.md5(f"{name}{site_id}".encode()).hexdigest(),
        "site_id": site_id,
        "entity_type": "package",
        "dataset_type": "dataset",
        "type": "dataset",
        "state": "active",
        "capacity": "public",
        "private": False,
        "permission_labels": ["public"],
        "name": name,
        "title": title,
        "title_string": title,
        "notes": notes,
        "tags": [],
        "groups": [],
        "organization": "shaoxing-transport",
        "res_name": [],
        "res_format": ["CSV"],
        "metadata_created": "2024-01-02T03:04:05Z",
        "metadata_modified": "2024-01-02T03:04:05Z",
    }
    for key, value in fields.items():
        document[key] = value
        if not isinstance(value, list):
            document[f"extras_{key}"] = value
    document["data_dict"] = json.dumps({"name": name, "title": title}, ensure_ascii=False)
    document["validated_data_dict"] = document["data_dict"]
    return document


def catalogue(site_id: str) -> list[dict[str, Any]]:
    return [
        solr_document(
            site_id, BUS_RIDERSHIP, "2023年公交客运量统计数据", "全市公交客运量按月统计。",
            domain="transport", open_condition="unconditional", update_frequency="monthly",
            security_grade="1", record_count="120000", issued="2023-05-01",
            data_items_name=["route_id", "passenger_count"], data_items_name_zh=["路线编号", "客运人次"],
        ),
        solr_document(
            site_id, BUS_ROUTES, "城市公交线路", "公交线路及站点信息。",
            domain="transport", open_condition="conditional", update_frequency="yearly",
            security_grade="2", record_count="800", issued="2022-11-30",
        ),
        solr_document(
            site_id, AIR_QUALITY, "PM2.5空气质量监测", "各监测站PM2.5小时浓度。",
            domain="environment", open_condition="unconditional", update_frequency="daily",
            security_grade="1", record_count="5000000", issued="2024-02-01",
        ),
        solr_document(
            site_id, TAXI_GPS, "出租车GPS轨迹", "出租车GPS定位数据。",
            domain="transport", open_condition="conditional", update_frequency="realtime",
            security_grade="3", record_count="99000000", issued="2021-07-15",
        ),
        # 公交客运 in the description only: must rank below the title match.
        solr_document(
            site_id, TRANSPORT_REPORT, "交通运输年报", "年报含公交客运量、出租车里程等指标。",
            domain="transport", open_condition="unconditional", update_frequency="yearly",
            security_grade="1", record_count="", issued="2024-03-01",
        ),
        # 公交 and 客运 both present but not adjacent: not a match for 公交客运.
        solr_document(
            site_id, BUS_AND_COACH, "道路运输统计", "分为公交、长途客运两类。",
            domain="transport", open_condition="unconditional", update_frequency="yearly",
            security_grade="", issued="2020-01-01",
        ),
        solr_document(
            site_id, METRO, "2022年地铁客流", "地铁各线路日客流。",
            domain="transport", open_condition="unconditional", update_frequency="daily",
            security_grade="2", record_count="365", issued="2023-01-10",
        ),
    ]


@pytest.fixture(scope="module")
def site_id() -> str:
    return f"govdata-solr-test-{uuid.uuid4().hex[:12]}"


@pytest.fixture(scope="module")
def indexed(site_id: str) -> Iterator[pysolr.Solr]:
    solr = pysolr.Solr(SOLR_URL, timeout=30)
    try:
        solr.ping()
    except pysolr.SolrError as error:
        pytest.fail(f"Solr does not answer at {SOLR_URL} ({error}); run bin/solr.sh start")
    solr.add(catalogue(site_id), commit=True)
    yield solr
    solr.delete(q=f'site_id:"{site_id}"', commit=True)


@pytest.fixture
def search(indexed: pysolr.Solr, site_id: str, monkeypatch: pytest.MonkeyPatch):
    """Runs CKAN's PackageSearchQuery against the test core and returns dataset names in order."""
    from ckan.lib.search.query import PackageSearchQuery

    settings = {
        "solr_url": SOLR_URL,
        "solr_user": None,
        "solr_password": None,
        "solr_timeout": 30,
        "ckan.site_id": site_id,
        "search.facets.limit": 50,
        "ckan.search.solr_allowed_query_parsers": [],
    }
    for key, value in settings.items():
        monkeypatch.setitem(config, key, value)

    def run(q: str, **params: Any) -> list[str]:
        query = PackageSearchQuery()
        query.run({"q": q, "rows": 20, **params})
        return query.results

    return run


def test_schema_name_passes_ckan_version_check(indexed: pysolr.Solr, monkeypatch: pytest.MonkeyPatch):
    from ckan.lib.search import SUPPORTED_SCHEMA_VERSIONS, check_solr_schema_version

    for key, value in {"solr_url": SOLR_URL, "solr_user": None, "solr_password": None}.items():
        monkeypatch.setitem(config, key, value)
    schema = requests.get(f"{SOLR_URL}/schema", timeout=10).json()["schema"]
    assert schema["name"] == "ckan-2.12"
    assert schema["name"].split("-")[1] in SUPPORTED_SCHEMA_VERSIONS
    assert check_solr_schema_version() is True


def test_chinese_word_inside_a_title_is_found(search):
    results = search("公交")
    assert results[:2] == [BUS_ROUTES, BUS_RIDERSHIP]
    assert METRO not in results


def test_longer_chinese_query_is_a_phrase(search):
    results = search("公交客运")
    assert results == [BUS_RIDERSHIP, TRANSPORT_REPORT]
    assert BUS_AND_COACH not in results


def test_title_match_ranks_above_description_match(search):
    assert search("公交客运量")[0] == BUS_RIDERSHIP


def test_separate_words_must_all_match(search):
    # CKAN's mm (2<-1 5<80%) requires both words of a two-word query.
    assert search("公交 线路") == [BUS_ROUTES]


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("pm2.5", AIR_QUALITY),
        ("PM2.5", AIR_QUALITY),
        ("GPS", TAXI_GPS),
        ("gps", TAXI_GPS),
        ("ＧＰＳ", TAXI_GPS),
        ("2023年", BUS_RIDERSHIP),
        ("地铁", METRO),
    ],
)
def test_mixed_script_queries(search, q: str, expected: str):
    assert search(q) == [expected]


def test_fielded_query_keeps_phrase(search):
    # A colon makes CKAN use the standard parser instead of dismax.
    assert search("title:公交客运") == [BUS_RIDERSHIP]
    assert search("data_items_name_zh:客运人次") == [BUS_RIDERSHIP]
    assert search("data_items_name:passenger") == [BUS_RIDERSHIP]


def test_facets_on_scheming_fields(indexed: pysolr.Solr, site_id: str):
    response = indexed.search(
        "*:*",
        fq=[f'+site_id:"{site_id}"'],
        rows=0,
        facet="true",
        **{"facet.field": ["domain", "open_condition", "security_grade"], "facet.mincount": 1},
    )
    facets = {
        field: dict(zip(values[0::2], values[1::2], strict=True))
        for field, values in response.facets["facet_fields"].items()
    }
    assert facets["domain"] == {"transport": 6, "environment": 1}
    assert facets["open_condition"] == {"unconditional": 5, "conditional": 2}
    assert facets["security_grade"] == {"1": 3, "2": 2, "3": 1}


def test_filters_and_sorting_on_scheming_fields(indexed: pysolr.Solr, site_id: str):
    site = f'+site_id:"{site_id}"'
    by_records = indexed.search("*:*", fq=[site, "record_count:[1000 TO *]"], sort="record_count desc", fl="name")
    assert [doc["name"] for doc in by_records] == [TAXI_GPS, AIR_QUALITY, BUS_RIDERSHIP]
    by_issued = indexed.search("*:*", fq=[site, "issued:[2023-01-01 TO *]"], sort="issued asc", fl="name")
    assert [doc["name"] for doc in by_issued] == [METRO, BUS_RIDERSHIP, AIR_QUALITY, TRANSPORT_REPORT]
    low_grade = indexed.search("*:*", fq=[site, "security_grade:[1 TO 2]", "domain:transport"], rows=20, fl="name")
    assert {doc["name"] for doc in low_grade} == {BUS_RIDERSHIP, BUS_ROUTES, TRANSPORT_REPORT, METRO}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _alive(pid: int) -> bool:
    # Nothing may reap the killed node, so a zombie counts as dead.
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, IndexError):
        return False
    return state != "Z"


def _wait_for_names(solr: pysolr.Solr, expected: set[str], timeout: float = 60) -> set[str]:
    # The update log is replayed in the background after the core opens.
    deadline = time.monotonic() + timeout
    while True:
        names = {doc["name"] for doc in solr.search("*:*", rows=20, fl="name")}
        if names >= expected or time.monotonic() > deadline:
            return names
        time.sleep(1)


def test_kill_9_keeps_acknowledged_documents(tmp_path: Path):
    """Kills a private node (own port and Solr home) so the shared one is left alone."""
    env = dict(os.environ, GOVDATA_LOCAL=str(tmp_path), SOLR_PORT=str(_free_port()))

    def solr_sh(command: str) -> None:
        subprocess.run(
            ["bash", str(REPO / "bin" / "solr.sh"), command],
            env=env, check=True, capture_output=True, text=True, timeout=300,
        )

    solr_sh("start")
    try:
        solr = pysolr.Solr(f"http://127.0.0.1:{env['SOLR_PORT']}/solr/ckan_test", timeout=30)
        solr.add([solr_document("durability", "hard-committed", "硬提交")], commit=True)
        solr.add([solr_document("durability", "soft-committed", "软提交")], commit=False, softCommit=True)
        # What CKAN does with ckan.search.solr_commit = false.
        solr.add([solr_document("durability", "not-committed", "未提交")], commit=False)

        pid = int((tmp_path / "solr" / "solr.pid").read_text())
        os.kill(pid, signal.SIGKILL)
        while _alive(pid):
            time.sleep(0.1)

        solr_sh("start")
        expected = {"hard-committed", "soft-committed", "not-committed"}
        assert _wait_for_names(solr, expected) == expected
    finally:
        solr_sh("stop")
