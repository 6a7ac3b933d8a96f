"""What every govdata plugin's alembic ``env.py`` does: its own version table, its own tables.

Each plugin keeps its migrations in ``migration/<plugin>/`` with a version table named after
the plugin, so plugins upgrade independently of CKAN and of each other. Autogenerate compares
only the tables whose names start with the plugin's prefixes, never CKAN's or another plugin's.
"""
from __future__ import annotations

import os
from logging.config import fileConfig
from typing import Any

from alembic import context
from ckan.model.meta import metadata
from sqlalchemy import engine_from_config, pool


def run_migrations(env_file: str, table_prefixes: tuple[str, ...]) -> None:
    """Run the migrations of the plugin whose ``env.py`` is ``env_file``."""
    config = context.config
    if config.config_file_name:
        fileConfig(config.config_file_name)
    version_table = f"{os.path.basename(os.path.dirname(env_file))}_alembic_version"

    def include_object(_object: Any, name: str, type_: str, _reflected: bool, _compare_to: Any) -> bool:
        return type_ != "table" or name.startswith(table_prefixes)

    options = {"target_metadata": metadata, "version_table": version_table, "include_object": include_object}
    if context.is_offline_mode():
        context.configure(url=config.get_main_option("sqlalchemy.url"), literal_binds=True, **options)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = engine_from_config(config.get_section(config.config_ini_section) or {}, prefix="sqlalchemy.", poolclass=pool.NullPool)
    with engine.connect() as connection:
        context.configure(connection=connection, **options)
        with context.begin_transaction():
            context.run_migrations()
