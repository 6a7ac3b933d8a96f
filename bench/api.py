"""What do application keys, quotas and the call ledger cost a data API, and do the quotas hold
under concurrency?

One run, loopback only: the portal's plugins served by gunicorn (3 workers each) on two ports —
**on** (govdata_devkeys: key check, the Lua quota, the Redis ledger) and **off** (the same
config without govdata_devkeys) — and locust (headless, bounded: ``--users`` users × ``--calls``
calls each, and ``--seconds`` at most) calling:

1. the data API ``/api/data/<name>`` (100 rows of a 1,000-row table) with a key on **on**, and
   on **off** by the same user's CKAN API token (the key's owner: same caller, same grants), so
   the ratio on/off is the key check, the quota and the ledger alone (target ≤ 1.10 latency);
   anonymously on **off** as well, for what identifying a caller costs besides;
2. ``datastore_search`` of the same 100 rows on **off** (CKAN's own action API, a sysadmin's token);
3. 50 concurrent clients against a key whose plan allows 100 calls a day: accepted must be 100.

It empties the database of the ini it is given: point it at a test database only.

    source /tmp/appkeys.env   # any env with disposable databases
    .venv/bin/python bench/api.py config/test.ini
"""
from __future__ import annotations

import argparse
import csv
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import requests
from _ckan import app_for, reset_database

REPO = Path(__file__).resolve().parents[1]
VENV = REPO / ".venv" / "bin"
ROWS = 1_000
TARGET = 1.10
QUOTA = 100


def _world() -> dict[str, Any]:
    import ckan.plugins.toolkit as tk
    from ckan import model

    from ckanext.govdata.dataapi.keys import limits

    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    context = {"user": site["name"], "ignore_auth": True}
    admin = tk.get_action("user_create")(dict(context), {"name": "bench-admin", "email": "a@bench.test",
                                                         "password": "bench-Passw0rd!"})
    model.User.get(admin["id"]).sysadmin = True
    model.Session.commit()
    token = tk.get_action("api_token_create")(dict(context), {"user": admin["name"], "name": "bench"})["token"]
    import importlib.util

    spec = importlib.util.spec_from_file_location("govdata_bench_factories", REPO / "tests" / "factories.py")
    assert spec is not None and spec.loader is not None
    factories = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(factories)

    department = factories.department()
    dataset = factories.dataset(department["id"], open_condition="unconditional")
    records = [{"station_code": f"ST{n:05d}", "aqi": n % 300, "district": "越城区"} for n in range(ROWS)]
    table = tk.get_action("datastore_create")(dict(context), {
        "resource": {"package_id": dataset["id"], "name": "table"}, "records": records, "force": True,
        "fields": [{"id": "station_code", "type": "text"}, {"id": "aqi", "type": "int8"}, {"id": "district", "type": "text"}],
    })
    api = factories.dataservice(department["id"], open_condition="unconditional", served_datasets=[dataset["name"]],
                                api_parameters=[{"name": "aqi", "type": "integer", "required": "false"}])
    admin_context = {"user": admin["name"], "ignore_auth": False}
    fast = tk.get_action("govdata_app_create")(dict(admin_context), {"name": "bench", "scope": [api["name"]]})
    tiny = tk.get_action("govdata_app_create")(dict(admin_context), {"name": "tiny", "scope": [api["name"]]})
    tk.get_action("govdata_app_update")(dict(admin_context), {"id": fast["id"], "plan": "premium"})
    tk.get_action("govdata_app_update")(dict(admin_context), {"id": tiny["id"], "plan": "tiny"})
    assert "tiny" in limits.plans()
    return {"api": api["name"], "table": table["resource_id"], "token": token, "fast": fast, "tiny": tiny}


def _ini(base: str, devkeys: bool) -> str:
    from ckan.cli import load_config

    plugins = load_config(base)["ckan.plugins"]
    if not devkeys:
        plugins = " ".join(name for name in plugins.split() if name != "govdata_devkeys")
    with tempfile.NamedTemporaryFile("w", suffix=".ini", delete=False) as handle:
        handle.write(f"[app:main]\nuse = config:{os.path.abspath(base)}\nckan.plugins = {plugins}\n"
                     f"ckanext.govdata.dataapi.keys.plans = {PLANS}\n")
    return handle.name


PLANS = f"default=0/0 premium=0/0 tiny=0/{QUOTA}"


def _serve(ini: str, port: int) -> subprocess.Popen[bytes]:
    server = subprocess.Popen(
        [str(VENV / "gunicorn"), "-w", "3", "-b", f"127.0.0.1:{port}", "--chdir", str(REPO / "docker"), "wsgi:application"],
        env={**os.environ, "CKAN_INI": ini}, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    for _ in range(120):
        try:
            requests.get(f"http://127.0.0.1:{port}/api/3/action/status_show", timeout=2)
            return server
        except requests.RequestException:
            time.sleep(1)
    server.kill()
    sys.exit(f"gunicorn on {port} did not start")


def _locust(host: str, path: str, users: int, calls: int, seconds: int, headers: dict[str, str] | None = None,
            body: dict[str, Any] | None = None) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as folder:
        prefix = os.path.join(folder, "run")
        env = {**os.environ, "BENCH_PATH": path, "BENCH_HEADERS": json.dumps(headers or {}), "BENCH_CALLS": str(calls),
               "BENCH_BODY": json.dumps(body) if body else ""}
        subprocess.run(
            [str(VENV / "locust"), "-f", str(REPO / "bench" / "_api_locustfile.py"), "--headless", "-u", str(users),
             "-r", str(users), "-t", f"{seconds}s", "--host", host, "--csv", prefix, "--only-summary",
             "--stop-timeout", "5", "--loglevel", "ERROR"],
            env=env, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        with open(prefix + "_stats.csv", encoding="utf-8") as handle:
            row = next(r for r in csv.DictReader(handle) if r["Name"] == "call")
    return {"requests": int(row["Request Count"]), "failures": int(row["Failure Count"]),
            "rps": float(row["Requests/s"]), "p50": float(row["50%"]), "p95": float(row["95%"])}


def _line(label: str, figures: dict[str, Any]) -> None:
    print(f"  {label:<34} {figures['requests']:>6} calls  {figures['rps']:>7.1f}/s  "
          f"p50 {figures['p50']:>6.0f} ms  p95 {figures['p95']:>6.0f} ms  failures {figures['failures']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("ini")
    parser.add_argument("--users", type=int, default=10)
    parser.add_argument("--calls", type=int, default=60, help="calls per user and case")
    parser.add_argument("--seconds", type=int, default=40, help="time bound per case")
    parser.add_argument("--rounds", type=int, default=2, help="interleaved rounds of the three cases")
    options = parser.parse_args()

    on_ini, off_ini = _ini(options.ini, True), _ini(options.ini, False)
    app = app_for(on_ini)
    flask_app = app._wsgi_app if hasattr(app, "_wsgi_app") else app
    with flask_app.test_request_context():
        reset_database()
        world = _world()
    import redis as redis_client
    from ckan.plugins import toolkit as tk

    redis_client.Redis.from_url(tk.config.get("ckan.redis.url")).flushdb()

    servers = [_serve(on_ini, 5301), _serve(off_ini, 5302)]
    try:
        on, off = "http://127.0.0.1:5301", "http://127.0.0.1:5302"
        path = f"/api/data/{world['api']}?limit=100"
        key = {"X-App-Key": world["fast"]["key"], "X-App-Secret": world["fast"]["secret"]}
        requests.get(on + path, headers=key, timeout=30).raise_for_status()  # warm both
        requests.get(off + path, timeout=30).raise_for_status()
        results: dict[str, dict[str, Any]] = {}
        ratios: list[tuple[float, float]] = []
        for _round in range(options.rounds):  # interleaved, so both sides see the same noise
            # "off" is the same user (the key's owner) calling by a CKAN API token on a portal
            # without govdata_devkeys, so the ratio is the key, the quota and the ledger alone;
            # "anonymous" (also off) shows what identifying any caller costs besides.
            this_round = {}
            for label, host, headers in (("on", on, key), ("off", off, {"Authorization": world["token"]}),
                                         ("anonymous", off, {})):
                this_round[label] = figures = _locust(host, path, options.users, options.calls, options.seconds, headers)
                previous = results.get(label)
                results[label] = figures if previous is None else {
                    k: previous[k] + figures[k] if k in ("requests", "failures") else
                    (previous[k] * _round + figures[k]) / (_round + 1) for k in figures}
            ratios.append((this_round["on"]["p50"] / this_round["off"]["p50"], this_round["on"]["rps"] / this_round["off"]["rps"]))
        search = _locust(off, "/api/3/action/datastore_search", options.users, options.calls, options.seconds,
                         {"Authorization": world["token"]}, {"resource_id": world["table"], "limit": 100})
        tiny = {"X-App-Key": world["tiny"]["key"], "X-App-Secret": world["tiny"]["secret"]}
        race = _locust(on, path, 50, 6, options.seconds, tiny)
        ledger = int(subprocess.run([str(VENV / "ckan"), "-c", on_ini, "govdata", "api", "flush-ledger"],
                                    capture_output=True, text=True, check=False).stdout.split()[0] or 0)
        accepted = requests.get(on + path, headers=tiny, timeout=30)
    finally:
        for server in servers:
            server.terminate()
            server.wait(timeout=30)
        for ini in (on_ini, off_ini):
            os.unlink(ini)
    print(f"Data API, 100 of {ROWS:,} rows; {options.users} users x {options.calls} calls per case, gunicorn 3 workers")
    _line("keys + quota + ledger (on)", results["on"])
    _line("no devkeys, same user by token (off)", results["off"])
    _line("no devkeys, anonymous", results["anonymous"])
    _line("datastore_search, same rows", search)
    print(f"  ratio on/off: p50 {results['on']['p50'] / results['off']['p50']:.2f}  "
          f"throughput {results['on']['rps'] / results['off']['rps']:.2f}  (target latency <= {TARGET:.2f})")
    print(f"  per round (p50, throughput): {', '.join(f'{p50:.2f}/{rps:.2f}' for p50, rps in ratios)}; "
          f"median p50 {statistics.median(r[0] for r in ratios):.2f}, throughput {statistics.median(r[1] for r in ratios):.2f}")
    print(f"  ratio data API (off) / datastore_search: p50 {results['off']['p50'] / search['p50']:.2f}  "
          f"throughput {results['off']['rps'] / search['rps']:.2f}")
    print(f"Rate limit, 50 concurrent clients x 6 calls on a {QUOTA}/day key: {race['requests']} calls; "
          f"quota left after: {accepted.headers.get('X-RateLimit-Remaining')}, next answer {accepted.status_code}")
    print(f"  ledger flushed: {ledger} calls written")


if __name__ == "__main__":
    main()
