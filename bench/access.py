"""What does the grant check cost on the data paths of a conditional dataset?

Two datasets that differ only in their open condition, each with the same uploaded 64 KiB CSV
and the same 1,000-row datastore table: one unconditional (the baseline: no grant looked up),
one conditional, read by a grantee through the grant check, which also writes the access log.
``datastore_search`` (100 rows) and the file download go through the Flask test client with the
grantee's API token, the two datasets alternating call by call so both see the same noise. Prints
p50 and p95 of each, the ratio of the p50s, and the SQL statements one call sends on each side
(the part of the cost that a busy machine's noise does not blur). Target: conditional /
unconditional <= 1.10.

It empties the database of the ini it is given: point it at a test database only.

    source /tmp/sandbox_a.env   # or any env with disposable databases
    .venv/bin/python bench/access.py config/test.ini
"""
from __future__ import annotations

import datetime as dt
import io
import os
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from _ckan import app_for, reset_database

ROUNDS = 10
CALLS_PER_ROUND = 30
ROWS = 1_000
TARGET = 1.10


def _dataset(context: dict[str, Any], department_id: str, condition: str, csv: bytes) -> dict[str, Any]:
    import ckan.plugins.toolkit as tk
    from werkzeug.datastructures import FileStorage

    dataset = tk.get_action("package_create")(dict(context), {
        "name": f"bench-{condition}",
        "title": f"bench {condition}",
        "identifier": f"330600-BENCH-{condition.upper()}",
        "owner_org": department_id,
        "domain": "credit",
        "open_condition": condition,
        "data_subject_type": "none",
        "security_grade": "2",
        "update_frequency": "EVERY_MONTH",
    })
    upload = tk.get_action("resource_create")(dict(context), {
        "package_id": dataset["id"], "name": "data.csv", "format": "CSV", "url": "data.csv",
        "upload": FileStorage(io.BytesIO(csv), filename="data.csv", content_type="text/csv"),
    })
    records = [{"credit_code": f"91330600MA{n:08d}", "company": f"企业{n}", "tax_paid": n} for n in range(ROWS)]
    table = tk.get_action("datastore_create")(dict(context), {
        "resource": {"package_id": dataset["id"], "name": "table"}, "records": records, "force": True,
    })
    return {"id": dataset["id"], "upload": upload["id"], "table": table["resource_id"]}


def _world() -> dict[str, Any]:
    import ckan.plugins.toolkit as tk
    from ckan import model

    from ckanext.govdata.calendar import workdays
    from ckanext.govdata.grants import AccessGrant

    reset_database()
    site = {"user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"], "ignore_auth": True}
    department = tk.get_action("organization_create")(
        dict(site), {"name": "bench-access", "title": "Bench access", "department_code": "BA01"}
    )
    line = b"9133060000000000,company,12345.67,2024-06-30,some text to pad the row\n"
    csv = b"credit_code,company,tax_paid,day,note\n" + line * (64 * 1024 // len(line))
    datasets = {condition: _dataset(site, department["id"], condition, csv) for condition in ("unconditional", "conditional")}
    grantee = tk.get_action("user_create")(dict(site), {
        "name": "bench-grantee", "email": "grantee@bench.test", "password": "bench-password-123",
    })
    token = tk.get_action("api_token_create")(dict(site), {"user": grantee["name"], "name": "bench"})["token"]
    today = workdays.today()
    model.Session.add(AccessGrant(
        user_id=grantee["id"], package_id=datasets["conditional"]["id"], resource_ids=[],
        starts_on=today, expires_on=today + dt.timedelta(days=30),
    ))
    model.Session.commit()
    return {"datasets": datasets, "token": token}


def _logged_reads() -> int:
    from ckan import model

    with model.meta.engine.connect() as connection:
        return connection.execute(sa.text("SELECT count(*) FROM govdata_access_log")).scalar()


def _queries(call: Callable[[], Any]) -> int:
    """SQL statements one call sends (the noise-free part of the cost)."""
    statements: list[str] = []

    def count(*args: Any) -> None:
        statements.append(args[2])

    sa.event.listen(sa.engine.Engine, "before_cursor_execute", count)
    try:
        call()
    finally:
        sa.event.remove(sa.engine.Engine, "before_cursor_execute", count)
    return len(statements)


def _timed(call: Callable[[], Any]) -> float:
    started = time.perf_counter()
    call()
    return (time.perf_counter() - started) * 1000


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def main(ini: str) -> None:
    app = app_for(ini)
    flask_app = app._wsgi_app if hasattr(app, "_wsgi_app") else app
    with flask_app.test_request_context():
        world = _world()
    client = flask_app.test_client()
    headers = {"Authorization": world["token"]}

    def search(dataset: dict[str, Any]) -> None:
        with client.post("/api/3/action/datastore_search", json={"resource_id": dataset["table"], "limit": 100},
                         headers=headers) as response:
            assert response.status_code == 200 and len(response.json["result"]["records"]) == 100

    def download(dataset: dict[str, Any]) -> None:
        with client.get(f"/dataset/{dataset['id']}/resource/{dataset['upload']}/download/data.csv",
                        headers=headers) as response:
            assert response.status_code == 200, response.status_code
            response.get_data()

    timings: dict[tuple[str, str], list[float]] = {}
    for _warm_up in range(5):
        for dataset in world["datasets"].values():
            search(dataset)
            download(dataset)
    # Call by call, alternating which dataset goes first: the load of a shared machine drifts
    # over seconds, and both sides see the same drift.
    for number in range(ROUNDS * CALLS_PER_ROUND):
        order = list(world["datasets"].items())
        if number % 2:
            order.reverse()
        for path, call in (("datastore_search", search), ("download", download)):
            for condition, dataset in order:
                timings.setdefault((path, condition), []).append(_timed(lambda call=call, dataset=dataset: call(dataset)))

    queries = {
        (path, condition): _queries(lambda call=call, dataset=dataset: call(dataset))
        for path, call in (("datastore_search", search), ("download", download))
        for condition, dataset in world["datasets"].items()
    }
    calls = ROUNDS * CALLS_PER_ROUND
    logged = _logged_reads()
    print(f"{calls} calls per path and dataset, {ROWS} rows, 64 KiB file; grantee's API token on both;"
          f" {logged} grantee reads logged")
    verdicts = []
    for path in ("datastore_search", "download"):
        baseline, ours = timings[(path, "unconditional")], timings[(path, "conditional")]
        ratio = statistics.median(ours) / statistics.median(baseline)
        verdicts.append(ratio <= TARGET)
        print(
            f"{path:17} unconditional p50 {statistics.median(baseline):6.2f} ms p95 {_percentile(baseline, 0.95):6.2f} ms"
            f" | conditional+grant p50 {statistics.median(ours):6.2f} ms p95 {_percentile(ours, 0.95):6.2f} ms"
            f" | ratio {ratio:.3f} (target <= {TARGET}) {'OK' if ratio <= TARGET else 'MISSED'}"
            f" | SQL statements per call {queries[(path, 'unconditional')]} vs {queries[(path, 'conditional')]}"
        )
    sys.exit(0 if all(verdicts) else 1)


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(__file__), "..", "config", "test.ini"))
