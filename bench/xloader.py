"""Does an upload load into the datastore within 2x of a raw COPY of the same file (issue #14)?

One CSV of ``--rows`` rows (default 1,000,000; Chinese headers and text, credit codes, amounts,
dates: about 100 bytes a row), written once. Baseline: ``COPY … FROM STDIN (FORMAT csv, HEADER)``
of that file into a plain table of text columns in the datastore database, through psycopg2.
Ours, as xloader's job runs it (``direct_load``) with govdata_uploads installed
(uploads/fastload.py): ``load_csv`` (header row, ``datastore_create``, one COPY of the file),
the record count (ANALYZE), ``create_column_indexes`` (trigger back on, follow-up queued): the
time until the table is **queryable** through ``datastore_search``. Then the follow-up job
(``complete_full_text``: ``_full_text`` filled, its index built): the time until **full text**
(``q``) is ready, counted from the start of the load. Baseline and ours alternate for
``--rounds`` rounds on fresh tables; medians are compared. Target: queryable / COPY <= 2.

``--xloader-too`` also times xloader's own path (tabulator re-write, chunked COPY, full text and
its index before the table counts as loaded) once, for comparison (about 30x; slow).
``--profile`` runs one more load of ours under cProfile and prints where the time goes;
``--fts-index-method gin`` builds the full-text index as GIN instead of CKAN's default GiST.
Also timed, not in the ratio: proposing the data items from the loaded table (one scan).

It empties the database of the ini it is given: point it at a test database only.

    source /tmp/sandbox_a.env   # or any env with disposable databases
    .venv/bin/python bench/xloader.py config/test.ini [--rows 1000000] [--rounds 3] [--xloader-too] [--profile]
"""
from __future__ import annotations

import argparse
import contextlib
import cProfile
import csv
import io
import logging
import os
import pstats
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from typing import Any

from _ckan import app_for, reset_database

TARGET = 2.0
HEADERS = ["序号", "统一社会信用代码", "单位名称", "金额（万元）", "登记日期", "地址"]
DISTRICTS = ["越城区", "柯桥区", "上虞区", "诸暨市", "嵊州市", "新昌县"]
TRADES = ["纺织", "物流", "建材", "医药", "食品", "电子"]


def write_csv(path: str, rows: int) -> None:
    chosen = random.Random(2026)
    with open(path, "w", encoding="utf-8", newline="") as target:
        writer = csv.writer(target)
        writer.writerow(HEADERS)
        for number in range(1, rows + 1):
            district, trade = chosen.choice(DISTRICTS), chosen.choice(TRADES)
            writer.writerow([
                number, f"91330600MA{number:08d}", f"绍兴{district}{trade}有限公司{number % 997}",
                f"{chosen.randint(1, 10_000_000) / 100:.2f}",
                f"20{chosen.randint(10, 25)}-{chosen.randint(1, 12):02d}-{chosen.randint(1, 28):02d}",
                f"浙江省绍兴市{district}{trade}路{number % 500}号",
            ])


def _resource() -> str:
    """A dataset and a (linked, never uploaded) CSV resource for xloader's table."""
    import ckan.plugins.toolkit as tk

    reset_database()
    site = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"], "ignore_auth": True}
    department = tk.get_action("organization_create")(
        dict(site), {"name": "bench-xloader", "title": "Bench xloader", "department_code": "BX01"}
    )
    dataset = tk.get_action("package_create")(dict(site), {
        "name": "bench-xloader", "title": "bench xloader", "identifier": "330600-BENCH-XLOADER",
        "owner_org": department["id"], "domain": "credit", "open_condition": "unconditional",
        "data_subject_type": "none", "security_grade": "1", "update_frequency": "EVERY_MONTH",
    })
    resource = tk.get_action("resource_create")(dict(site), {
        "package_id": dataset["id"], "name": "big.csv", "format": "CSV", "url": "https://example.invalid/big.csv",
    })
    return resource["id"]


def raw_copy(path: str) -> None:
    from ckanext.datastore.backend.postgres import get_write_engine, identifier

    columns = ", ".join(f"{identifier(header)} text" for header in HEADERS)
    with get_write_engine().begin() as connection:
        connection.exec_driver_sql('DROP TABLE IF EXISTS "bench_raw_copy"')
        connection.exec_driver_sql(f'CREATE TABLE "bench_raw_copy" ({columns})')
        with open(path, "rb") as source:
            cursor = connection.connection.cursor()
            cursor.copy_expert('COPY "bench_raw_copy" FROM STDIN WITH (FORMAT csv, HEADER 1, ENCODING \'UTF8\')', source)
            cursor.close()


def _drop_table(resource_id: str) -> None:
    import ckan.plugins.toolkit as tk

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    with contextlib.suppress(tk.ObjectNotFound):
        tk.get_action("datastore_delete")({"ignore_auth": True, "user": site_user}, {"resource_id": resource_id, "force": True})


def queryable_load(path: str, resource_id: str, logger: logging.Logger) -> None:
    """What xloader's job does with the downloaded file (jobs.direct_load), less the HTTP, with
    our load_csv and create_column_indexes installed on its loader module."""
    from ckanext.xloader import loader

    fields = loader.load_csv(path, resource_id=resource_id, mimetype="CSV", logger=logger)
    loader.calculate_record_count(resource_id=resource_id, logger=logger)
    loader.create_column_indexes(fields=fields, resource_id=resource_id, logger=logger)


def full_text(resource_id: str) -> None:
    """The follow-up job, run here rather than by a worker (its queued copy is deleted)."""
    from ckan.lib import jobs

    from ckanext.govdata.uploads import fastload

    for job in jobs.get_queue().jobs:
        if job.func_name.endswith("complete_full_text") and list(job.args) == [resource_id]:
            job.delete()
    fastload.complete_full_text(resource_id)
    assert fastload.full_text_state(resource_id) == "complete"


def xloader_load(path: str, resource_id: str, logger: logging.Logger) -> None:
    """xloader's own path, as before govdata_uploads took UTF-8 CSV over."""
    from ckanext.xloader import loader

    from ckanext.govdata.uploads import fastload, xloader_fixes

    fields = fastload._xloader_load_csv(path, resource_id=resource_id, mimetype="CSV", logger=logger)
    loader.calculate_record_count(resource_id=resource_id, logger=logger)
    xloader_fixes.create_column_indexes(fields=fields, resource_id=resource_id, logger=logger)


def _timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("ini")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--xloader-too", action="store_true")
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--fts-index-method", help="ckan.datastore.default_fts_index_method for this run (CKAN's default: gist)")
    arguments = parser.parse_args()

    logger = logging.getLogger("bench.xloader")
    logger.addHandler(logging.NullHandler())
    logger.propagate = False
    app = app_for(arguments.ini)
    if arguments.fts_index_method:
        import ckan.plugins.toolkit as tk

        tk.config["ckan.datastore.default_fts_index_method"] = arguments.fts_index_method
    flask_app = app._wsgi_app if hasattr(app, "_wsgi_app") else app
    with tempfile.TemporaryDirectory() as folder, flask_app.test_request_context():
        # xloader picks the tabulator format from the file's extension.
        path = os.path.join(folder, "big.csv")
        print(f"writing {arguments.rows:,} rows ...", flush=True)
        write_csv(path, arguments.rows)
        print(f"  {os.path.getsize(path) / 1e6:.0f} MB", flush=True)
        resource_id = _resource()

        copies, queryable, searchable = [], [], []
        for round_number in range(1, arguments.rounds + 1):
            copies.append(_timed(lambda: raw_copy(path)))
            _drop_table(resource_id)
            queryable.append(_timed(lambda: queryable_load(path, resource_id, logger)))
            searchable.append(queryable[-1] + _timed(lambda: full_text(resource_id)))
            print(f"round {round_number}: COPY {copies[-1]:.1f} s   queryable {queryable[-1]:.1f} s   "
                  f"full text ready {searchable[-1]:.1f} s", flush=True)

        import ckan.plugins.toolkit as tk

        from ckanext.govdata.curation import data_items

        fields = [field["id"] for field in tk.get_action("datastore_info")({"ignore_auth": True}, {"id": resource_id})["fields"]
                  if field["id"] != "_id"]
        proposing = _timed(lambda: data_items.profile(resource_id, fields))
        count = tk.get_action("datastore_search")({"ignore_auth": True}, {"resource_id": resource_id, "limit": 0})["total"]
        assert count == arguments.rows, count
        found = tk.get_action("datastore_search")({"ignore_auth": True}, {"resource_id": resource_id, "q": "91330600MA00000007"})
        assert found["total"] == 1, found["total"]

        copy, ready, searching = statistics.median(copies), statistics.median(queryable), statistics.median(searchable)
        print()
        print(f"{arguments.rows:,} rows, median of {arguments.rounds} rounds")
        print(f"  raw COPY (baseline)          {copy:8.1f} s   {arguments.rows / copy:10,.0f} rows/s")
        print(f"  queryable (ours)             {ready:8.1f} s   ratio {ready / copy:5.2f}   (target <= {TARGET:.1f}: "
              f"{'met' if ready / copy <= TARGET else 'NOT met'})")
        print(f"  full text ready (ours)       {searching:8.1f} s   ratio {searching / copy:5.2f}   (follow-up job included)")
        print(f"  data items from the table    {proposing:8.1f} s   (types and lengths, one scan)")
        if arguments.xloader_too:
            copy_again = _timed(lambda: raw_copy(path))
            _drop_table(resource_id)
            old = _timed(lambda: xloader_load(path, resource_id, logger))
            print(f"  xloader's own path, once     {old:8.1f} s   ratio {old / copy_again:5.2f}   (against a COPY of {copy_again:.1f} s "
                  "just before)")

        if arguments.profile:
            profiler = cProfile.Profile()
            _drop_table(resource_id)
            profiler.runcall(queryable_load, path, resource_id, logger)
            report = io.StringIO()
            pstats.Stats(profiler, stream=report).sort_stats("cumulative").print_stats(25)
            print(report.getvalue())


if __name__ == "__main__":
    main()
