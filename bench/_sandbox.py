"""The search benchmarks' own databases, storage and Solr cores beside the running services.

Each benchmark names its databases, Redis db and storage folder; CKAN runs on them through
config/test.ini and the ``CKAN_*`` environment, so neither the portal's nor the tests' data is
touched.
"""
from __future__ import annotations

import argparse
import contextlib
import dataclasses
import os
import re
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests
import sqlalchemy as sa

REPO = Path(__file__).resolve().parents[1]
TEST_INI = REPO / "config" / "test.ini"
CONFIGSET = REPO / "config" / "solr" / "conf"
CKAN = REPO / ".venv" / "bin" / "ckan"


@dataclasses.dataclass(frozen=True)
class Sandbox:
    solr: str  # the Solr node, http://host:port/solr
    server: str  # a PostgreSQL role allowed to create databases, without a database name
    core: str
    database: str
    datastore: str
    redis_db: int
    storage: str  # folder under .local/storage

    def environment(self) -> dict[str, str]:
        """What points config/test.ini at the sandbox."""
        host = sa.engine.make_url(self.server).host
        return {
            "CKAN_SQLALCHEMY_URL": f"{self.server}/{self.database}",
            "CKAN_DATASTORE_WRITE_URL": f"{self.server}/{self.datastore}",
            "CKAN_DATASTORE_READ_URL": f"postgresql://datastore_ro:datastore_ro@{host}:5432/{self.datastore}",
            "CKAN_SOLR_URL": f"{self.solr}/{self.core}",
            "CKAN_REDIS_URL": f"redis://127.0.0.1:6379/{self.redis_db}",
            "CKAN_STORAGE_PATH": str(REPO / ".local" / "storage" / self.storage),
        }

    def enter(self) -> None:
        """Points this process, and the ``ckan`` commands it runs, at the sandbox."""
        os.environ.update(self.environment())
        for key in ("CKAN_INI", "CKAN_SITE_ID", "CKAN_SITE_URL"):
            os.environ.pop(key, None)

    def run(self, setup: Callable[[Sandbox], None], run: Callable[[], None], teardown: Callable[[Sandbox], None],
            keep: bool = False) -> None:
        """``setup``, then ``run`` inside a request context of CKAN on the sandbox, then ``teardown``
        (unless ``keep``), whatever ``run`` did."""
        self.enter()
        try:
            setup(self)
            from ckan.cli import load_config
            from ckan.config.middleware import make_app

            app = make_app(load_config(str(TEST_INI)))
            with app._wsgi_app.test_request_context():
                run()
        finally:
            if not keep:
                teardown(self)

    def create_databases(self) -> None:
        """Empty databases and storage, CKAN's and every plugin's tables, datastore permissions."""
        self._drop_databases(create=True)
        storage = Path(self.environment()["CKAN_STORAGE_PATH"])
        shutil.rmtree(storage, ignore_errors=True)
        storage.mkdir(parents=True)
        for command in (["db", "init"], ["db", "pending-migrations", "--apply"]):
            self.ckan(command)
        # The permissions script only touches objects the database owner may change.
        script = self.ckan(["datastore", "set-permissions"]).stdout
        datastore = sa.create_engine(self.environment()["CKAN_DATASTORE_WRITE_URL"], isolation_level="AUTOCOMMIT")
        with datastore.connect() as connection:
            # The driver's own cursor: the script holds % signs that are not parameters.
            connection.connection.cursor().execute(re.sub(r"^\\connect.*$", "", script, flags=re.MULTILINE))
        datastore.dispose()

    def drop_databases(self) -> None:
        self._drop_databases(create=False)
        shutil.rmtree(self.environment()["CKAN_STORAGE_PATH"], ignore_errors=True)

    def _drop_databases(self, create: bool) -> None:
        engine = sa.create_engine(f"{self.server}/postgres", isolation_level="AUTOCOMMIT")
        with engine.connect() as connection:
            for database in (self.database, self.datastore):
                connection.execute(sa.text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
                if create:
                    connection.execute(sa.text(f"CREATE DATABASE \"{database}\" ENCODING 'UTF8' TEMPLATE template0"))
        engine.dispose()

    def ckan(self, command: list[str]) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(CKAN), "-c", str(TEST_INI), *command], check=True, capture_output=True, text=True, timeout=1800
        )

    def solr_home(self) -> Path:
        reply = requests.get(f"{self.solr}/admin/info/system", params={"wt": "json"}, timeout=30)
        return Path(reply.json()["solr_home"])

    def core_admin(self, check: bool = True, **params: str) -> dict[str, Any]:
        response = requests.get(f"{self.solr}/admin/cores", params={**params, "wt": "json"}, timeout=300)
        if check:
            response.raise_for_status()
        return response.json()

    def unload(self, core: str) -> None:
        self.core_admin(action="UNLOAD", core=core, deleteInstanceDir="true", check=False)

    def fresh_instance(self, core: str) -> Path:
        """An empty conf folder for ``core``, any earlier core of that name unloaded; fill it and
        ``register`` the core."""
        self.unload(core)
        instance = self.solr_home() / core
        shutil.rmtree(instance, ignore_errors=True)
        (instance / "conf").mkdir(parents=True)
        return instance

    def register(self, core: str) -> None:
        self.core_admin(action="CREATE", name=core, instanceDir=core)

    def create_core(self, core: str) -> None:
        """A new, empty core ``core`` with our configset (config/solr/conf)."""
        instance = self.fresh_instance(core)
        shutil.copytree(CONFIGSET, instance / "conf", dirs_exist_ok=True)
        self.register(core)


def declared_in(url: str) -> Callable[[str], bool]:
    """Whether the schema of the core at ``url`` declares a field of this name (a field or a
    dynamic field other than the catch-all ``*``, which takes only single strings)."""
    fields = {field["name"] for field in requests.get(f"{url}/schema/fields", timeout=30).json()["fields"]}
    patterns = [field["name"] for field in requests.get(f"{url}/schema/dynamicfields", timeout=30).json()["dynamicFields"]
                if field["name"] != "*"]

    def declared(name: str) -> bool:
        return name in fields or any(
            name.startswith(pattern[:-1]) if pattern.endswith("*") else name.endswith(pattern[1:]) for pattern in patterns
        )

    return declared


def add_arguments(parser: argparse.ArgumentParser) -> None:
    """The options every benchmark's sandbox takes."""
    parser.add_argument("--solr", default="http://127.0.0.1:8983/solr", help="the running Solr node")
    parser.add_argument("--database", default="postgresql://ckan:ckan@127.0.0.1:5432", help="role with CREATEDB")
    parser.add_argument("--keep", action="store_true", help="keep the Solr cores and the databases")


def disconnect() -> None:
    """Close this process' connections to the sandbox's databases, so that they can be dropped."""
    with contextlib.suppress(Exception):
        from ckan import model

        model.Session.remove()
        model.meta.engine.dispose()
