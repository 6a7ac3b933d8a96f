"""What the benchmarks share: a CKAN app for an ini, and emptying its (test or bench) database."""
from __future__ import annotations

import os
import sys
from typing import Any

import sqlalchemy as sa


def app_for(ini: str) -> Any:
    """The CKAN app of ``ini``; refuses any database whose name says neither test nor bench."""
    from ckan.cli import load_config
    from ckan.config.middleware import make_app

    config = load_config(ini)
    url = sa.engine.make_url(config["sqlalchemy.url"])
    if not any(word in (url.database or "") for word in ("test", "bench")):
        sys.exit(f"refusing to empty {url.database}: give an ini whose database is a test or bench database")
    return make_app(config)


def reset_database() -> None:
    """CKAN's tables and every loaded plugin's, empty."""
    import ckan.plugins.toolkit as tk
    from ckan import model
    from ckan.cli.db import _resolve_alembic_config, _run_migrations

    with model.meta.engine.begin() as connection:
        # The audit trail refuses DELETE, which rebuild_db uses; its owner may TRUNCATE it.
        if sa.inspect(connection).has_table("govdata_access_log"):
            connection.execute(sa.text("TRUNCATE govdata_access_log"))
    model.repo.rebuild_db()
    for plugin in tk.aslist(tk.config.get("ckan.plugins")):
        if os.path.exists(_resolve_alembic_config(plugin)):
            _run_migrations(plugin)
    # CKAN's migrations rebind the model to an unpooled engine; a server keeps its pool.
    model.init_model(sa.engine_from_config(dict(tk.config)))
