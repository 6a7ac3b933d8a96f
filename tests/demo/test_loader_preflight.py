"""The demo loader on a database that was never initialised says what to do, without a traceback."""
from __future__ import annotations

import os
import subprocess
import uuid

import pytest

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


@pytest.fixture
def empty_database():
    name = f"govdata_empty_{uuid.uuid4().hex[:8]}"
    subprocess.run(["psql", "-q", ADMIN_URL, "-c", f"CREATE DATABASE {name} OWNER ckan"], check=True)
    yield f"postgresql://ckan:ckan@127.0.0.1:5432/{name}"
    subprocess.run(["psql", "-q", ADMIN_URL, "-c", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], check=True)


def test_demo_load_on_uninitialised_database_names_the_fix(empty_database):
    env = dict(os.environ, CKAN_SQLALCHEMY_URL=empty_database)

    run = subprocess.run(
        [os.path.join(ROOT, ".venv", "bin", "ckan"), "-c", os.path.join(ROOT, "config", "test.ini"), "govdata", "demo", "load"],
        check=False, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
    )

    output = run.stdout + run.stderr
    assert run.returncode == 1
    assert "db init" in output
    assert "Traceback" not in output
