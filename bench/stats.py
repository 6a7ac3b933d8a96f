"""How much do the published counts and the usage tracking cost?

1. ``govdata_statistics`` (site scope, the home page's call) at 1,000 and at 100,000 packages,
   in one run. Target: time at 100k / time at 1k <= 1.2. The packages are written straight into
   the ``package`` table with SQL (creating 100k through package_create and Solr would take
   hours) and counted by ``counters.rebuild``; both sizes share 60 departments, 14 domains and
   481 catalogue classes, as the demo city does. Also printed: the rebuild, and one incremental
   ``counters.refresh`` (what every dataset change adds), at both sizes.
2. A resource download with tracking on versus off (Flask test client, uploaded 64 KiB CSV,
   rounds alternated to spread noise). Target: overhead <= 5%.

It empties the database of the ini it is given: point it at a test database only.

    source /tmp/sandbox_s.env   # or any env with a disposable database
    .venv/bin/python bench/stats.py config/test.ini
"""
from __future__ import annotations

import io
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from _ckan import app_for, reset_database

ROUNDS = 100
DOWNLOADS_PER_ROUND = 100
DOWNLOAD_ROUNDS = 6
DEPARTMENTS = 60
CLASSES = 481
SIZES = (1_000, 100_000)


def _median_ms(function: Callable[[], Any], rounds: int = ROUNDS) -> float:
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        function()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def _seed_packages(first: int, last: int, department_ids: list[str]) -> None:
    """Packages ``first``..``last`` as scheming stores them: fields in the JSONB extras."""
    from ckan import model

    from ckanext.govdata import vocabularies

    model.Session.execute(
        sa.text(
            """
            INSERT INTO package (id, name, title, type, state, private, owner_org, metadata_created, metadata_modified, extras)
            SELECT 'bench-' || n, 'bench-' || n, 'bench ' || n,
                   CASE WHEN n % 2 = 0 THEN 'dataset' ELSE 'dataservice' END,
                   CASE WHEN n % 50 = 0 THEN 'draft' ELSE 'active' END,
                   n % 10 = 0,
                   (:departments)[1 + n % :department_count],
                   now(), now(),
                   jsonb_build_object(
                     'domain', (:domains)[1 + n % array_length(:domains, 1)],
                     'catalogue_class', 'class-' || (n % :classes),
                     'open_condition', (ARRAY['unconditional', 'unconditional', 'conditional'])[1 + n % 3],
                     'resource_library', (:libraries)[1 + n % array_length(:libraries, 1)],
                     'update_frequency', 'EVERY_MONTH',
                     'data_format', '["CSV", "JSON"]',
                     'data_items', '[{"name": "a"}, {"name": "b"}, {"name": "c"}]',
                     'record_count', ((n * 7919) % 100000)::text,
                     'issued', to_char(date '2017-01-01' + (n % 3500), 'YYYY-MM-DD'),
                     'modified', to_char(date '2024-01-01' + (n % 700), 'YYYY-MM-DD'))
            FROM generate_series(:first, :last) AS n
            """
        ),
        {
            "departments": department_ids,
            "department_count": len(department_ids),
            "domains": vocabularies.values("domains"),
            "libraries": vocabularies.values("resource_libraries"),
            "classes": CLASSES,
            "first": first,
            "last": last,
        },
    )
    # A linked file for each dataset but one in ten: only entries that serve data are counted.
    model.Session.execute(
        sa.text(
            """
            INSERT INTO resource (id, package_id, url, format, state, position, extras)
            SELECT 'bench-resource-' || n, 'bench-' || n, 'https://example.org/' || n || '.csv', 'CSV', 'active', 0, '{}'
            FROM generate_series(:first, :last) AS n WHERE n % 2 = 0 AND n % 20 <> 0
            """
        ),
        {"first": first, "last": last},
    )
    model.repo.commit()


def _departments() -> list[str]:
    import ckan.plugins.toolkit as tk

    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    return [
        tk.get_action("organization_create")(
            {"user": site_user, "ignore_auth": True}, {"name": f"bench-dept-{n}", "title": f"Bench {n}", "department_code": f"B{n:03d}"}
        )["id"]
        for n in range(DEPARTMENTS)
    ]


def _measure(size: int, rebuild_s: float) -> float:
    import ckan.plugins.toolkit as tk
    from ckan import model

    from ckanext.govdata.stats import counters

    def call() -> dict[str, Any]:
        # The session (and its connection) is kept between calls: the test ini's NullPool
        # would otherwise time a new PostgreSQL connection per call, not the figures.
        return tk.get_action("govdata_statistics")({"ignore_auth": True}, {})

    figures = call()["figures"]
    statistics_ms = _median_ms(call)
    package_id = "bench-7"

    def change_one() -> None:
        model.Session.execute(
            sa.text(
                "UPDATE package SET extras = jsonb_set(extras, '{domain}', to_jsonb(CASE WHEN extras->>'domain' = 'health' "
                "THEN 'transport' ELSE 'health' END)) WHERE id = :id"
            ),
            {"id": package_id},
        )
        counters.refresh([package_id])
        model.repo.commit()

    refresh_ms = _median_ms(change_one)
    print(
        f"{size:>7,} packages: govdata_statistics {statistics_ms:6.2f} ms (median of {ROUNDS}); "
        f"one dataset change {refresh_ms:5.2f} ms; rebuild {rebuild_s:6.1f} s; "
        f"public figures: {figures['datasets']:,} datasets, {figures['apis']:,} APIs, "
        f"{figures['departments']} departments, {figures['catalogue_classes']} classes"
    )
    return statistics_ms


def _rebuild() -> float:
    from ckanext.govdata.stats import counters

    started = time.perf_counter()
    counters.rebuild()
    return time.perf_counter() - started


def bench_statistics() -> None:
    """1k, then 100k, then 1k again (the extra packages deleted): the machine's load may
    change during the run, and the two 1k runs bracket the 100k one."""
    from ckan import model

    reset_database()
    departments = _departments()
    small, large = SIZES
    _seed_packages(1, small, departments)
    before = _measure(small, _rebuild())
    _seed_packages(small + 1, large, departments)
    at_large = _measure(large, _rebuild())
    model.Session.execute(
        sa.text("DELETE FROM resource WHERE id LIKE 'bench-resource-%' AND substr(id, 16)::int > :small"), {"small": small}
    )
    model.Session.execute(sa.text("DELETE FROM package WHERE id LIKE 'bench-%' AND substr(id, 7)::int > :small"), {"small": small})
    model.repo.commit()
    after = _measure(small, _rebuild())
    ratio = at_large / ((before + after) / 2)
    print(f"ratio {large // 1000}k/{small // 1000}k: {ratio:.2f} (target <= 1.2) {'OK' if ratio <= 1.2 else 'MISSED'}")


def bench_downloads(flask_app: Any) -> None:
    import ckan.plugins.toolkit as tk
    from ckan import model
    from werkzeug.datastructures import FileStorage

    from ckanext.govdata.stats import usage

    reset_database()
    context = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"], "ignore_auth": True}
    department = tk.get_action("organization_create")(dict(context), {"name": "bench-downloads", "title": "Bench downloads", "department_code": "BD01"})
    dataset = tk.get_action("package_create")(
        dict(context),
        {
            "name": "bench-download",
            "title": "bench download",
            "identifier": "330600-BENCH-000001",
            "owner_org": department["id"],
            "domain": "transport",
            "open_condition": "unconditional",
            "security_grade": "1",
            "update_frequency": "EVERY_MONTH",
        },
    )
    body = b"route_no,passengers\n" + b"".join(b"R%05d,%d\n" % (n, n * 7) for n in range(5000))
    body = body[: 64 * 1024]
    resource = tk.get_action("resource_create")(
        dict(context),
        {"package_id": dataset["id"], "name": "data", "format": "CSV", "upload": FileStorage(io.BytesIO(body), "data.csv", content_type="text/csv")},
    )
    model.Session.remove()
    url = f"/dataset/{dataset['id']}/resource/{resource['id']}/download/data.csv"
    client = flask_app._wsgi_app.test_client()
    tk.config["ckanext.govdata.stats.flush_interval"] = 0

    def downloads() -> None:
        for _ in range(DOWNLOADS_PER_ROUND):
            response = client.get(url)
            assert response.status_code == 200, response.status_code
            response.close()

    timings: dict[bool, list[float]] = {True: [], False: []}
    downloads()  # warm caches and connections
    for round_number in range(DOWNLOAD_ROUNDS * 2):
        tracking = round_number % 2 == 0
        tk.config["ckanext.govdata.stats.tracking"] = tracking
        timings[tracking].append(_median_ms(downloads, 1) / DOWNLOADS_PER_ROUND)
    tk.config["ckanext.govdata.stats.tracking"] = True
    started = time.perf_counter()
    flushed = usage.flush()
    flush_ms = (time.perf_counter() - started) * 1000
    off, on = statistics.median(timings[False]), statistics.median(timings[True])
    overhead = (on - off) / off * 100
    print(f"download, tracking off: {off:.3f} ms; on: {on:.3f} ms (median of {DOWNLOAD_ROUNDS} rounds of {DOWNLOADS_PER_ROUND})")
    print(f"tracking overhead: {overhead:+.1f}% (target <= 5%) {'OK' if overhead <= 5 else 'MISSED'}")
    print(f"flush of {flushed:,} tracked downloads: {flush_ms:.1f} ms")


def main() -> None:
    ini = sys.argv[1] if len(sys.argv) > 1 else "config/test.ini"
    flask_app = app_for(ini)
    with flask_app._wsgi_app.test_request_context():
        bench_statistics()
        bench_downloads(flask_app)


if __name__ == "__main__":
    main()
