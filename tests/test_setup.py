"""The README's set-up is safe to run again: services already running are reused, not restarted."""
from __future__ import annotations

import os
import subprocess

import requests

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def _solr_start_time() -> str:
    info = requests.get("http://127.0.0.1:8983/solr/admin/info/system", params={"wt": "json"}, timeout=10).json()
    return info["jvm"]["jmx"]["startTime"]


def _postgres_start_time() -> str:
    result = subprocess.run(
        ["psql", "-tA", "postgresql://ckan:ckan@127.0.0.1:5432/postgres", "-c", "SELECT pg_postmaster_start_time()"],
        capture_output=True, text=True, check=True,
    )
    return result.stdout.strip()


def test_services_command_twice_reuses_running_services():
    before = (_solr_start_time(), _postgres_start_time())

    runs = [
        subprocess.run(["bash", "bin/dev", "services"], check=False, cwd=ROOT, capture_output=True, text=True, timeout=300)
        for _ in range(2)
    ]

    for run in runs:
        assert run.returncode == 0, run.stderr
        assert "Starting" not in run.stdout + run.stderr
        assert "Installing" not in run.stdout + run.stderr
    assert (_solr_start_time(), _postgres_start_time()) == before
