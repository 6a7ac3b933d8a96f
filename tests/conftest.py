"""Shared fixtures: CKAN's own (clean_db, app, with_plugins …) plus govdata's factories."""
from __future__ import annotations

import functools
import importlib.metadata
import inspect
import logging
import os
import sys
import threading
from collections.abc import Iterator
from typing import Any

import ckan.plugins.core
import ckan.plugins.toolkit as tk
import pytest
import rq
import sqlalchemy as sa
from alembic.config import Config as AlembicConfig
from alembic.script import ScriptDirectory
from ckan import model
from ckan.cli.db import _resolve_alembic_config
from ckan.lib import jobs
from werkzeug.serving import make_server

from tests import factories


def _plugins_with_migrations() -> list[str]:
    names = tk.aslist(tk.config.get("ckan.plugins"))
    return [name for name in names if os.path.exists(_resolve_alembic_config(name))]


@functools.cache
def _heads(plugin: str) -> frozenset[str]:
    return frozenset(ScriptDirectory.from_config(AlembicConfig(_resolve_alembic_config(plugin))).get_heads())


def _plugins_behind_head() -> list[str]:
    """The plugins whose tables are not at their newest migration: all of them after CKAN's reset
    dropped every table, none after it only deleted rows (its usual case), so that a clean
    database costs one query instead of an alembic run per plugin."""
    with model.meta.engine.connect() as connection:
        tables = set(sa.inspect(connection).get_table_names())
        behind = []
        for plugin in _plugins_with_migrations():
            table = f"{plugin}_alembic_version"
            applied = {row[0] for row in connection.execute(sa.text(f'SELECT version_num FROM "{table}"'))} if table in tables else set()
            if applied != _heads(plugin):
                behind.append(plugin)
    return behind


def empty_audit_trail() -> None:
    """The audit trail refuses DELETE (a trigger), which CKAN's reset uses: tests empty it with
    TRUNCATE first, as only the database's owner can."""
    from ckan import model

    with model.meta.engine.begin() as connection:
        if sa.inspect(connection).has_table("govdata_access_log"):
            connection.execute(sa.text("TRUNCATE govdata_access_log"))


# Loading and unloading the portal's plugins, which CKAN's with_plugins does around every test,
# took 0.85 s a test: CKAN looks each plugin up by scanning every installed distribution's entry
# points, and toolkit.add_template_directory / add_resource find their caller's file with
# inspect.stack(), which reads the source of every frame of pytest's deep stack. While plugins
# load and unload (not during the test itself), the entry points are looked up once per run and
# the stack gives frames and file names only (what CKAN reads of it): 0.32 s a test.
_entry_points = functools.cache(importlib.metadata.entry_points)


def _frames(context: int = 1) -> list[inspect.FrameInfo]:
    frame = sys._getframe(1)
    frames = []
    while frame is not None:
        frames.append(inspect.FrameInfo(frame, frame.f_code.co_filename, frame.f_lineno, frame.f_code.co_name, None, None))
        frame = frame.f_back
    return frames


def _quicken(patches: pytest.MonkeyPatch) -> None:
    patches.setattr(ckan.plugins.core, "entry_points", _entry_points)
    patches.setattr(inspect, "stack", _frames)


@pytest.fixture
def _quick_plugin_loads() -> Iterator[pytest.MonkeyPatch]:
    patches = pytest.MonkeyPatch()
    _quicken(patches)
    yield patches
    patches.undo()


@pytest.fixture
def with_plugins(_quick_plugin_loads, with_plugins):
    """CKAN's with_plugins (it loads the plugins before this runs and unloads them after), with
    the quick lookups only around the loading and the unloading."""
    _quick_plugin_loads.undo()
    yield
    _quicken(_quick_plugin_loads)


@pytest.fixture
def clean_db(with_plugins, reset_db, migrate_db_for, reset_redis):
    """CKAN's clean_db, plus the tables that plugins create through their migrations, and an
    empty Redis (usage counts waiting there belong to the database being reset)."""
    reset_redis()
    empty_audit_trail()
    reset_db()
    for plugin in _plugins_behind_head():
        migrate_db_for(plugin)


@pytest.fixture
def sysadmin():
    return factories.sysadmin()


@pytest.fixture
def department():
    return factories.department()


@pytest.fixture
def live_server(app, ckan_config, monkeypatch) -> Iterator[str]:
    """Serves the test app (same config, same database) on 127.0.0.1 and yields its base URL."""
    server = make_server("127.0.0.1", 0, app.flask_app, threaded=True)
    base_url = f"http://127.0.0.1:{server.server_port}"
    monkeypatch.setitem(ckan_config, "ckan.site_url", base_url)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield base_url
    finally:
        server.shutdown()
        thread.join(timeout=10)


@pytest.fixture
def xloader(live_server, ckan_config, monkeypatch) -> dict[str, Any]:
    """xloader submitting uploads with a sysadmin's API token (its job fetches the file from
    live_server and reports back to it over HTTP); returns that sysadmin. Run the jobs with
    run_jobs()."""
    loader = factories.sysadmin()
    monkeypatch.setitem(ckan_config, "ckanext.xloader.api_token", loader["token"])
    return loader


class _FreshSessionWorker(rq.SimpleWorker):
    """Each job starts and ends with an empty database session, as in the process CKAN's worker
    forks for it: objects the test's requests loaded must not carry their in-memory flags into
    a job (a Resource's ``url_changed`` would make every resource_patch there submit the file
    to xloader again, and a failing load then re-queue itself for ever)."""

    def perform_job(self, job: rq.job.Job, queue: rq.Queue) -> bool:
        model.Session.remove()
        try:
            return bool(super().perform_job(job, queue))
        finally:
            model.Session.remove()


def run_jobs(max_jobs: int | None = None) -> None:
    """Runs every queued job in this process, in burst mode: the loads and what they enqueue
    (only the first ``max_jobs``, when given). CKAN's own worker would fork a process that
    reloads the whole environment for each job."""
    queue = jobs.get_queue()
    _FreshSessionWorker([queue], connection=queue.connection).work(burst=True, max_jobs=max_jobs)


@pytest.fixture
def codes() -> Iterator[Any]:
    """The development identity provider's log, where its one-time codes are (tests/subjects/world.py)."""
    from tests.subjects.world import PROVIDER_LOG, ProviderLog

    logger = logging.getLogger(PROVIDER_LOG)
    handler, level = ProviderLog(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    # The plugins' alembic runs (clean_db) load the ini's logging, which disables loggers made before.
    logger.disabled = False
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)
