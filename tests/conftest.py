"""Shared fixtures: CKAN's own (clean_db, app, with_plugins …) plus govdata's factories."""
from __future__ import annotations

import os

import ckan.plugins.toolkit as tk
import pytest
from ckan.cli.db import _resolve_alembic_config

from tests import factories


def _plugins_with_migrations() -> list[str]:
    names = tk.aslist(tk.config.get("ckan.plugins"))
    return [name for name in names if os.path.exists(_resolve_alembic_config(name))]


@pytest.fixture
def clean_db(with_plugins, reset_db, migrate_db_for, reset_redis):
    """CKAN's clean_db, plus the tables that plugins create through their migrations, and an
    empty Redis (usage counts waiting there belong to the database being reset)."""
    reset_redis()
    reset_db()
    for plugin in _plugins_with_migrations():
        migrate_db_for(plugin)


@pytest.fixture
def sysadmin():
    return factories.sysadmin()


@pytest.fixture
def department():
    return factories.department()
