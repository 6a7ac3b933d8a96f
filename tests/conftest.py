"""Shared fixtures: CKAN's own (clean_db, app, with_plugins …) plus govdata's factories."""
from __future__ import annotations

import pytest

from tests import factories


# Plugins whose alembic migrations create tables the tests need.
MIGRATED_PLUGINS = ("activity",)


@pytest.fixture
def clean_db(with_plugins, reset_db, migrate_db_for):
    """CKAN's clean_db, plus the tables that plugins create through their migrations."""
    reset_db()
    for plugin in MIGRATED_PLUGINS:
        migrate_db_for(plugin)


@pytest.fixture
def sysadmin():
    return factories.sysadmin()


@pytest.fixture
def department():
    return factories.department()
