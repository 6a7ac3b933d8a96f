"""The portal's search over the whole demo catalogue, held to the judged queries of #13:
recall@10 ≥ 0.98 and MRR ≥ 0.95 overall, and no kind below 0.95 on either (quality.py says how
they are computed; bench/search_quality.py prints them beside stock CKAN and a bigram OR query).

The demo is loaded once for the module, as ``ckan govdata demo load`` writes it: every
department, package, uploaded file and datastore table through the actions, indexed by CKAN as
each is written. Two things cost time and never reach the index, so they are left out: the
published counters (stats) and the activity stream, 40 % of each package_create; and Solr
commits once at the end, not once per package. That takes the load from about 96 s to 60 s on
the 2-core machine, and its index documents equal the full load's field by field (compared
when this was written: only generated ids differ). The search test reports the load's time.
"""
from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from unittest import mock

import ckan.plugins as plugins
import ckan.plugins.toolkit as tk
import pytest
from ckan.lib.search.common import make_connection
from ckan.tests.helpers import call_action

from ckanext.govdata.demo import catalogue, loader
from tests.conftest import _plugins_with_migrations, empty_audit_trail
from tests.search import quality

RECALL_TARGET = 0.98
MRR_TARGET = 0.95
KIND_TARGET = 0.95


def test_the_judged_set_covers_every_kind_and_names_only_demo_packages():
    queries = quality.demo_queries()
    names = {package.name for package in catalogue.build(catalogue.DEFAULT_SEED).packages}
    counts = quality.counts(queries)

    assert len(queries) >= 80
    assert all(counts.get(kind, 0) >= 8 for kind in quality.KINDS), counts
    assert len({(query.q, query.kind) for query in queries}) == len(queries)
    assert {query.q for query in queries if query.from_issue} == {"公交站点查询", "绍兴公交站点", "企业信用查询", "停车泊位查询", "人社局"}
    unknown = {name for query in queries for name in query.relevant} - names
    assert not unknown, unknown
    assert all(query.relevant for query in queries)


@pytest.fixture(scope="module")
def demo_loaded(reset_db, reset_index, reset_redis, migrate_db_for) -> Iterator[float]:
    """The whole demo in the database and the index; yields the seconds the load took."""
    plugins.load_all()
    commit_each = tk.config.get("ckan.search.solr_commit")
    try:
        reset_redis()
        empty_audit_trail()
        reset_db()
        for plugin in _plugins_with_migrations():
            migrate_db_for(plugin)
        reset_index()
        started = time.monotonic()
        tk.config["ckan.search.solr_commit"] = False
        with _without_bookkeeping():
            loader.load_catalogue(catalogue.build(catalogue.DEFAULT_SEED))
        make_connection().commit(waitSearcher=True)
        yield time.monotonic() - started
    finally:
        tk.config["ckan.search.solr_commit"] = commit_each
        reset_index()
        plugins.unload_all()


@contextlib.contextmanager
def _without_bookkeeping() -> Iterator[None]:
    """Writes without the published counters and the activity stream (see the module's doc)."""
    with (
        mock.patch("ckanext.govdata.stats.counters.refresh"),
        mock.patch("ckanext.activity.subscriptions._create_package_activity"),
    ):
        yield


def _ranked(q: str) -> list[str]:
    result = call_action("package_search", {"user": ""}, q=q, rows=quality.CUTOFF)
    return [package["name"] for package in result["results"]]


@pytest.mark.usefixtures("with_plugins")
def test_search_meets_the_targets_on_the_judged_queries(demo_loaded: float):
    queries = quality.demo_queries()
    rankings = {query: _ranked(query.q) for query in queries}
    scores = {query: quality.score(query, rankings[query]) for query in queries}
    figures = quality.figures(scores)
    report = (
        f"demo loaded in {demo_loaded:.0f} s\n"
        + quality.table({"ours (package_search)": figures}, quality.counts(queries))
        + "\nbelow full marks:\n" + "\n".join(quality.misses(scores, rankings))
    )
    print(report)

    overall = figures[quality.OVERALL]
    weak = [
        kind for kind in quality.KINDS
        if figures[kind]["recall@10"] < KIND_TARGET or figures[kind]["MRR"] < KIND_TARGET
    ]
    assert overall["recall@10"] >= RECALL_TARGET and overall["MRR"] >= MRR_TARGET and not weak, report
