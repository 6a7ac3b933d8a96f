"""Search quality (issue #13): recall@10, MRR and top-1 of the judged queries
(tests/search/judged_queries.yaml, computed by tests/search/quality.py) per kind, for stock CKAN,
a plain bigram OR query and ours, side by side on the demo catalogue. Not a test; needs
PostgreSQL, Redis and Solr running (bin/dev services):

    .venv/bin/python bench/search_quality.py [--keep]

Method, in one run:
1. Its own databases ``govdata_quality`` / ``govdata_datastore_quality`` and two cores on the
   running Solr node, all removed at the end (``--keep`` leaves them): ``ckan_quality`` with our
   configset (config/solr/conf) and ``ckan_quality_stock`` with CKAN's own schema.xml from the
   installed CKAN and a minimal solrconfig. CKAN runs in this process with config/test.ini,
   pointed at them through CKAN_* variables like a test sandbox, every plugin of the portal loaded.
2. The demo catalogue is written as ``ckan govdata demo load`` writes it
   (``demo.loader.load_catalogue``), which indexes it into ``ckan_quality``.
3. CKAN's own indexer (``search.rebuild``) indexes the same database into ``ckan_quality_stock``.
   Fields that CKAN's schema does not declare and that hold lists (data items, formats: its
   catch-all ``*`` is a single string and refuses them) go in as ``extras_<field>`` text, which
   is how stock CKAN indexes a scheming field it knows nothing about.
4. Every judged query, three ways, the first 10 names kept:
   (a) stock CKAN: CKAN's PackageSearchQuery (dismax, qf "name^4 title^4 tags^2 groups^2 text",
       mm "2<-1 5<80%", anonymous permission labels) on ``ckan_quality_stock``;
   (b) bigram OR: the query's Han runs cut into overlapping bigrams (a lone Han character and
       each Latin or digit token kept whole), each a quoted term, OR'd, lucene parser, df=text,
       on ``ckan_quality`` (our analysis and synonyms, no query shaping, no field weights);
   (c) ours: the package_search action in process, anonymous, exactly as the portal runs it.
"""
from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any
from unittest import mock

import pysolr

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from _sandbox import Sandbox, add_arguments, declared_in, disconnect  # noqa: E402

from tests.search import quality  # noqa: E402 (the repository root is on the path only now)

CORE = "ckan_quality"
STOCK_CORE = "ckan_quality_stock"
DATABASE = "govdata_quality"
DATASTORE = "govdata_datastore_quality"
REDIS_DB = 13
ANONYMOUS_LABELS = ["public"]
STOCK_SOLRCONFIG = """<?xml version="1.0" encoding="UTF-8" ?>
<!-- The least CKAN's schema.xml needs to serve /select and /update (bench/search_quality.py). -->
<config>
  <luceneMatchVersion>9.12</luceneMatchVersion>
  <dataDir>${solr.data.dir:}</dataDir>
  <schemaFactory class="ClassicIndexSchemaFactory"/>
  <directoryFactory name="DirectoryFactory" class="solr.NRTCachingDirectoryFactory"/>
  <updateHandler class="solr.DirectUpdateHandler2"/>
  <requestHandler name="/select" class="solr.SearchHandler"/>
</config>
"""
HAN_RUN = re.compile(r"([\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+)")


def main() -> None:
    arguments = _arguments()
    sandbox = Sandbox(
        solr=arguments.solr, server=arguments.database, core=CORE, database=DATABASE, datastore=DATASTORE,
        redis_db=REDIS_DB, storage="quality",
    )
    sandbox.run(_setup, lambda: _run(arguments), _teardown, keep=arguments.keep)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add_arguments(parser)
    return parser.parse_args()


# --- Setup and teardown -----------------------------------------------------------------------


def _setup(sandbox: Sandbox) -> None:
    say(f"Setting up cores {CORE}, {STOCK_CORE} and databases {DATABASE}, {DATASTORE}")
    sandbox.create_databases()
    sandbox.create_core(CORE)
    stock = sandbox.fresh_instance(STOCK_CORE)
    import ckan

    shutil.copy(Path(ckan.__file__).parent / "config" / "solr" / "schema.xml", stock / "conf" / "schema.xml")
    (stock / "conf" / "solrconfig.xml").write_text(STOCK_SOLRCONFIG, encoding="utf-8")
    for name in ("synonyms.txt", "protwords.txt"):
        (stock / "conf" / name).write_text("", encoding="utf-8")
    # bin/solr.sh reload must not give it our configset.
    (stock / "keep-conf").write_text("CKAN's own schema.xml (bench/search_quality.py)\n")
    sandbox.register(STOCK_CORE)


def _teardown(sandbox: Sandbox) -> None:
    say(f"Removing cores {CORE}, {STOCK_CORE} and databases {DATABASE}, {DATASTORE}")
    disconnect()
    with contextlib.suppress(Exception):
        from ckanext.datastore.backend import postgres

        # The loader's datastore tables left the datastore's own engines connected.
        postgres._dispose_engines()
    sandbox.unload(CORE)
    sandbox.unload(STOCK_CORE)
    sandbox.drop_databases()


# --- Indexing ---------------------------------------------------------------------------------


def _load_demo() -> None:
    import ckan.plugins.toolkit as tk
    from ckan.lib.search.common import make_connection

    from ckanext.govdata.demo import catalogue, loader

    # One commit at the end rather than one per package; the documents are the same.
    tk.config["ckan.search.solr_commit"] = False
    started = time.monotonic()
    loader.load_catalogue(catalogue.build(catalogue.DEFAULT_SEED))
    make_connection().commit(waitSearcher=True)
    say(f"Demo catalogue written and indexed into {CORE} in {time.monotonic() - started:.0f} s")


def _stock_documents(url: str) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """How a document of CKAN's indexer fits CKAN's own schema (step 3)."""
    declared = declared_in(url)

    def fit(document: dict[str, Any]) -> dict[str, Any]:
        fitted = {}
        for name, value in document.items():
            if isinstance(value, list) and not declared(name):
                fitted.setdefault(f"extras_{name}", " ".join(map(str, value)))
            else:
                fitted[name] = value
        return fitted

    return fit


@contextlib.contextmanager
def _solr_url(url: str) -> Any:
    """CKAN's search, pointed at ``url`` (ckan.lib.search reads solr_url on every call)."""
    import ckan.plugins.toolkit as tk

    previous = tk.config["solr_url"]
    tk.config["solr_url"] = url
    try:
        yield
    finally:
        tk.config["solr_url"] = previous


def _index_stock(url: str) -> None:
    from ckan.lib import search
    from ckan.lib.search.common import make_connection

    fit = _stock_documents(url)
    add = pysolr.Solr.add

    def fitting_add(self: pysolr.Solr, docs: list[dict[str, Any]], *args: Any, **kwargs: Any) -> Any:
        return add(self, [fit(document) for document in docs], *args, **kwargs)

    started = time.monotonic()
    with _solr_url(url), mock.patch.object(pysolr.Solr, "add", fitting_add):
        search.rebuild(defer_commit=True, quiet=True)
        make_connection().commit(waitSearcher=True)
    say(f"The same database indexed into {STOCK_CORE} by CKAN's indexer in {time.monotonic() - started:.0f} s")


# --- The three systems ------------------------------------------------------------------------


def bigram_terms(q: str) -> list[str]:
    """The query's Han runs as overlapping bigrams (a lone character kept), other tokens whole."""
    terms: list[str] = []
    for token in q.split():
        for part in HAN_RUN.split(token):
            if not part:
                continue
            if HAN_RUN.fullmatch(part):
                terms += [part[i:i + 2] for i in range(max(len(part) - 1, 1))]
            else:
                terms.append(part)
    return terms


def _stock_search(url: str) -> Callable[[str], list[str]]:
    from ckan.lib.search.query import PackageSearchQuery

    def search(q: str) -> list[str]:
        with _solr_url(url):
            return PackageSearchQuery().run({"q": q, "rows": quality.CUTOFF, "fl": "name"}, ANONYMOUS_LABELS)["results"]

    return search


def _bigram_search(url: str) -> Callable[[str], list[str]]:
    import ckan.plugins.toolkit as tk

    solr = pysolr.Solr(url, timeout=60)
    site_id = tk.config["ckan.site_id"]

    def search(q: str) -> list[str]:
        quoted = ['"{}"'.format(term.replace("\\", "\\\\").replace('"', '\\"')) for term in bigram_terms(q)]
        response = solr.search(
            " OR ".join(quoted), defType="lucene", df="text", rows=quality.CUTOFF, fl="name",
            fq=[f'+site_id:"{site_id}"', "+state:active", f"+permission_labels:({' OR '.join(ANONYMOUS_LABELS)})"],
            **{"q.op": "OR"},
        )
        return [document["name"] for document in response.docs]

    return search


def _our_search() -> Callable[[str], list[str]]:
    import ckan.plugins.toolkit as tk

    action = tk.get_action("package_search")

    def search(q: str) -> list[str]:
        return [package["name"] for package in action({"user": ""}, {"q": q, "rows": quality.CUTOFF})["results"]]

    return search


def _evaluate(queries: Sequence[quality.Query], search: Callable[[str], list[str]]) -> dict[str, dict[str, float]]:
    return quality.figures({query: quality.score(query, search(query.q)) for query in queries})


# --- The run ----------------------------------------------------------------------------------


def _run(arguments: argparse.Namespace) -> None:
    _load_demo()
    stock_url = f"{arguments.solr}/{STOCK_CORE}"
    _index_stock(stock_url)
    queries = quality.demo_queries()
    systems = {
        "(a) stock CKAN": _stock_search(stock_url),
        "(b) bigram OR": _bigram_search(os.environ["CKAN_SOLR_URL"]),
        "(c) ours": _our_search(),
    }
    results = {}
    for name, search in systems.items():
        started = time.monotonic()
        results[name] = _evaluate(queries, search)
        say(f"{name}: {len(queries)} queries in {time.monotonic() - started:.1f} s")
    print()
    print(f"Judged queries over the demo catalogue ({len(queries)}; tests/search/judged_queries.yaml): "
          f"recall@10, MRR (first relevant within the first {quality.CUTOFF}, else 0) and top-1, mean per kind")
    print(quality.table(results, quality.counts(queries)))
    overall = {name: figures[quality.OVERALL] for name, figures in results.items()}
    ours = overall["(c) ours"]
    for baseline in ("(a) stock CKAN", "(b) bigram OR"):
        print(f"ours / {baseline}: recall@10 {_ratio(ours['recall@10'], overall[baseline]['recall@10'])}, "
              f"MRR {_ratio(ours['MRR'], overall[baseline]['MRR'])}")


def _ratio(ours: float, baseline: float) -> str:
    return f"{ours / baseline:.2f}×" if baseline else "∞ (baseline 0)"


def say(message: str) -> None:
    print(f"==> {message}", file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
