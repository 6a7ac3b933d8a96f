"""CKAN on SolrCloud: a 2-node cluster (search/SolrCloudLauncher, embedded ZooKeeper) with the
collection ``ckan`` created from config/solr as 2 shards × 2 replicas answers exactly like the
single node, also after one node has been stopped.

The catalogue is 200 packages of the demo generator (160 datasets, 40 API interfaces), written
through ``package_create`` while CKAN points at the cluster, then indexed into the sandbox's
single-node core with CKAN's rebuild, so both indexes hold the same documents.
"""
from __future__ import annotations

import queue
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from ckan.common import config
from ckan.lib import search
from ckan.lib.search.common import make_connection
from ckan.tests.helpers import call_action

from ckanext.govdata.demo import catalogue as demo_catalogue
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

REPO = Path(__file__).resolve().parents[2]
SEARCH_PROJECT = REPO / "search"
DATASETS = 160
APIS = 40
START_TIMEOUT = 180
COMMAND_TIMEOUT = 150
FACETS = [
    "domain", "organization", "open_condition", "update_frequency", "dataset_type", "res_format", "tags",
    "resource_library", "security_grade", "data_format", "catalogue_class", "license_id",
]


class Cloud:
    """The launcher process: reads its stdout in a thread so that waits can time out."""

    def __init__(self, base: Path) -> None:
        classpath = f"{SEARCH_PROJECT / 'target' / 'classes'}:{SEARCH_PROJECT / 'target' / 'lib' / '*'}"
        self.log = base / "launcher.err"
        with self.log.open("w") as errors:
            self.process = subprocess.Popen(
                [
                    "java", "-Xms256m", "-Xmx768m", "-XX:+UseG1GC", "-Dfile.encoding=UTF-8", "-Duser.timezone=UTC",
                    f"-Dsolr.log.dir={base}", "-cp", classpath, "cn.govdata.search.SolrCloudLauncher",
                    str(base / "cluster"), str(REPO / "config" / "solr" / "conf"),
                    "--nodes", "2", "--shards", "2", "--replicas", "2",
                ],
                stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=errors, text=True,
            )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.nodes: dict[int, str] = {}
        self.replicas: list[str] = []

    def wait_until_ready(self) -> None:
        for line in self._until("READY", START_TIMEOUT):
            if line.startswith("NODE "):
                _, number, url = line.split()
                self.nodes[int(number)] = url
            elif line.startswith("REPLICA "):
                self.replicas.append(line)

    def _read(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line.rstrip("\n"))

    def _until(self, prefix: str, timeout: float) -> list[str]:
        seen = []
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                pytest.fail(f"SolrCloud did not say {prefix} within {timeout}s: {seen}; see {self.log}")
            seen.append(line)
            if line.startswith("ERROR"):
                pytest.fail(f"SolrCloud: {line}")
            if line.startswith(prefix):
                return seen

    def command(self, command: str, answer: str) -> list[str]:
        assert self.process.stdin is not None
        self.process.stdin.write(command + "\n")
        self.process.stdin.flush()
        return self._until(answer, COMMAND_TIMEOUT)

    def shutdown(self) -> None:
        try:
            assert self.process.stdin is not None
            self.process.stdin.write("shutdown\n")
            self.process.stdin.close()
            self.process.wait(timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope="module")
def cloud(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Cloud]:
    subprocess.run(["bash", str(REPO / "bin" / "solr.sh"), "build"], check=True, capture_output=True, timeout=600)
    cluster = Cloud(tmp_path_factory.mktemp("solrcloud"))
    try:
        cluster.wait_until_ready()
        yield cluster
    finally:
        cluster.shutdown()


def _load_catalogue() -> None:
    demo = demo_catalogue.build()
    datasets = demo.datasets[:DATASETS]
    names = {package.name for package in datasets}
    apis = [api for api in demo.apis if set(api.served_datasets) <= names][:APIS]
    departments = {package.owner_org for package in (*datasets, *apis)}
    ids = {
        department.name: factories.department(**department.as_organization_dict())["id"]
        for department in demo.departments
        if department.name in departments
    }
    for package in (*datasets, *apis):
        call_action("package_create", factories.site_context(), **{**package.as_package_dict(), "owner_org": ids[package.owner_org]})


def _search(**params: Any) -> dict[str, Any]:
    return call_action("package_search", {**factories.site_context(), "ignore_auth": False}, include_private=True, **params)


def _names(result: dict[str, Any]) -> list[str]:
    return [package["name"] for package in result["results"]]


def _snapshot() -> dict[str, Any]:
    """Listing, facets, ranked Chinese queries, filters, numeric sorts and paging, as CKAN returns them."""
    listing = _search(q="*:*", rows=1000, sort="name asc", **{"facet.field": FACETS, "facet.limit": -1})
    return {
        "count": listing["count"],
        "listing": _names(listing),
        "facets": listing["facets"],
        "ranked": {
            q: _names(_search(q=q, rows=20))
            for q in ("企业", "信用信息", "2023年", "名录", "统计 绍兴", "许可证", "交通", "title:企业")
        },
        "filtered": _names(
            _search(fq="+domain:industry-agriculture +open_condition:unconditional", sort="metadata_modified desc", rows=50)
        ),
        "records": _names(_search(fq="record_count:[10000 TO *]", sort="record_count desc, name asc", rows=30)),
        "page_3": _names(_search(q="*:*", sort="title_string asc", start=20, rows=10)),
        "apis": _names(_search(fq="dataset_type:dataservice", sort="name asc", rows=100)),
    }


def _commit() -> None:
    # CKAN's own commit does not wait for the new searcher; the comparisons must see every change.
    make_connection().commit(waitSearcher=True)


def _point_ckan_at(monkeypatch: pytest.MonkeyPatch, solr_url: str) -> None:
    # ckan.lib.search reads solr_url on every request: nothing else to reset.
    monkeypatch.setitem(config, "solr_url", solr_url)


def test_ckan_accepts_the_collection_schema(cloud: Cloud, monkeypatch: pytest.MonkeyPatch):
    _point_ckan_at(monkeypatch, f"{cloud.nodes[1]}/ckan")

    assert search.check_solr_schema_version() is True
    # Each node holds one replica of each shard, so either node alone can answer.
    for node in cloud.nodes.values():
        shards = {line.split()[1] for line in cloud.replicas if line.split()[2] == node}
        assert shards == {"shard1", "shard2"}


def test_cloud_answers_like_the_single_node_also_with_a_node_down(cloud: Cloud, monkeypatch: pytest.MonkeyPatch):
    single_node = config["solr_url"]
    cloud_url = f"{cloud.nodes[1]}/ckan"

    # Written to the cluster as production does: no commit per dataset, autoSoftCommit shows them.
    _point_ckan_at(monkeypatch, cloud_url)
    monkeypatch.setitem(config, "ckan.search.solr_commit", False)
    search.clear_all()
    _load_catalogue()
    _commit()
    on_cloud = _snapshot()

    _point_ckan_at(monkeypatch, single_node)
    search.rebuild(defer_commit=True, quiet=True)
    _commit()
    on_single_node = _snapshot()

    assert on_single_node["count"] == DATASETS + APIS
    assert len(on_single_node["apis"]) == APIS
    assert all(on_single_node["ranked"].values()), on_single_node["ranked"]
    assert on_cloud == on_single_node

    cloud.command("stop 2", "STOPPED 2")
    _point_ckan_at(monkeypatch, cloud_url)

    assert _snapshot() == on_single_node
    # Writes go on too: the surviving replicas lead their shards.
    first = on_single_node["listing"][0]
    call_action("package_patch", factories.site_context(), id=first, title="绍兴市停机演练数据集")
    _commit()
    assert _names(_search(q="停机演练")) == [first]
