"""CKAN's own search tests, shipped in the ckan wheel, against govdata's Solr configset.

They run in a subprocess with ``config/test-ckan-core.ini`` (CKAN core only: the scheming
schemas would reject CKAN's factory datasets), on their own database and Solr core, derived
from this run's configuration so that parallel sandboxes do not share them:
``govdata_test_q`` → database ``govdata_ckancore_q`` and core ``ckan_core_test_q``.

The core is created from the configset in this checkout (``config/solr/conf`` copied into the
core's own instance directory and reloaded on every run), so the suite checks the configset
as it is in the repository, even before the shared node has been restarted.

Deselected, for reasons outside our control:
- ``test_check_invalid_schema`` and ``test_check_schema_with_wrong_version``: they read
  ``ckan/tests/lib/search/data/*.xml``, which the ckan 2.12.0 wheel does not ship
  (FileNotFoundError before any Solr is involved). Our schema's version check is covered by
  ``test_solr_node.py::test_schema_name_passes_ckan_version_check``.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
import requests
import sqlalchemy as sa
from ckan.common import config

REPO = Path(__file__).resolve().parents[2]
CORE_INI = REPO / "config" / "test-ckan-core.ini"
CONFIGSET = REPO / "config" / "solr" / "conf"

SUITES = ["ckan.tests.lib.search", "ckan.tests.logic.action.test_get"]
# All of ckan.tests.lib.search; in test_get, the tests that go through package_search.
SELECTION = (
    "(not test_get.py or TestPackageSearch or TestPackageAutocompleteWithDatasetForm"
    " or TestCollaboratorsSearch or package_search)"
)
DESELECTED = {
    "test_check_invalid_schema": "schema-no-version.xml is not in the ckan wheel",
    "test_check_schema_with_wrong_version": "schema-wrong-version.xml is not in the ckan wheel",
}
# 125 of ckan.tests.lib.search + 37 of test_get: fewer means tests were skipped or not found.
MIN_PASSED = 162
TIMEOUT_SECONDS = 600


def _sandbox_suffix() -> str:
    """'' for govdata_test, '_q' for the sandbox database govdata_test_q."""
    database = sa.engine.make_url(config["sqlalchemy.url"]).database or ""
    return database.removeprefix("govdata_test")


def _create_database(name: str) -> str:
    url = sa.engine.make_url(config["sqlalchemy.url"])
    engine = sa.create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            exists = connection.execute(
                sa.text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": name}
            ).scalar()
            if not exists:
                connection.execute(
                    sa.text(f'CREATE DATABASE "{name}" ENCODING \'UTF8\' TEMPLATE template0')
                )
    finally:
        engine.dispose()
    return url.set(database=name).render_as_string(hide_password=False)


def _create_core(name: str) -> str:
    """Creates or reloads the core with the configset copied from this checkout."""
    solr_root = config["solr_url"].rstrip("/").rsplit("/", 1)[0]
    system = requests.get(f"{solr_root}/admin/info/system", params={"wt": "json"}, timeout=30).json()
    instance_dir = Path(system["solr_home"]) / name
    if not instance_dir.parent.is_dir():
        pytest.fail(f"Solr home {instance_dir.parent} is not on this machine; the conformance core needs it")
    instance_dir.mkdir(exist_ok=True)
    shutil.rmtree(instance_dir / "conf", ignore_errors=True)
    shutil.copytree(CONFIGSET, instance_dir / "conf")

    status = requests.get(
        f"{solr_root}/admin/cores", params={"action": "STATUS", "core": name, "wt": "json"}, timeout=30
    ).json()
    if status["status"].get(name):
        params = {"action": "RELOAD", "core": name}
    else:
        params = {"action": "CREATE", "name": name, "instanceDir": name}
    response = requests.get(f"{solr_root}/admin/cores", params={**params, "wt": "json"}, timeout=120)
    assert response.ok, response.text
    return f"{solr_root}/{name}"


@pytest.fixture(scope="module")
def core_environment() -> dict[str, str]:
    """The environment that points test-ckan-core.ini at this run's database, core and Redis."""
    suffix = _sandbox_suffix()
    environment = {
        key: value for key, value in os.environ.items() if not key.startswith("CKAN_")
    }
    environment.update(
        CKAN_SQLALCHEMY_URL=_create_database(f"govdata_ckancore{suffix}"),
        CKAN_SOLR_URL=_create_core(f"ckan_core_test{suffix}"),
        CKAN_REDIS_URL=config["ckan.redis.url"],
        CKAN_STORAGE_PATH=str(REPO / ".local" / "storage" / f"ckancore{suffix}"),
    )
    Path(environment["CKAN_STORAGE_PATH"]).mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [str(Path(sys.executable).with_name("ckan")), "-c", str(CORE_INI), "db", "init"],
        env=environment, cwd=REPO, check=True, capture_output=True, text=True, timeout=300,
    )
    return environment


def test_ckan_search_suites_pass_against_our_configset(core_environment: dict[str, str], tmp_path: Path):
    report = tmp_path / "junit.xml"
    keep = " and ".join(f"not {name}" for name in DESELECTED)
    completed = subprocess.run(
        [
            sys.executable, "-m", "pytest",
            f"--ckan-ini={CORE_INI}",
            "--pyargs", *SUITES,
            "-k", f"{SELECTION} and {keep}",
            "-p", "no:cacheprovider",
            "-p", "tests.search.faker_seed",
            "-W", "ignore::DeprecationWarning",
            f"--junitxml={report}",
            "-q",
        ],
        env=core_environment, cwd=REPO, capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
    )
    output = (completed.stdout + completed.stderr)[-6000:]
    assert completed.returncode == 0, output

    suite = ElementTree.parse(report).getroot()
    suite = suite if suite.tag == "testsuite" else suite.find("testsuite")
    counts = {key: int(suite.get(key, 0)) for key in ("tests", "failures", "errors", "skipped")}
    passed = counts["tests"] - counts["failures"] - counts["errors"] - counts["skipped"]
    assert passed >= MIN_PASSED, f"only {passed} passed ({counts}):\n{output}"
