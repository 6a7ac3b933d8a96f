"""A fault of ckanext-xloader 2.5.2 on CKAN 2.12, and its mend (used by fastload.py, which
puts it in the place of xloader's ``loader.create_column_indexes`` for tables xloader loads).

After the COPY, xloader's ``create_column_indexes`` creates the table's indexes (the full-text
GIN index among them) and re-enables the full-text trigger on a connection it never commits.
SQLAlchemy 2 opens a transaction on first use, so all of it is rolled back when the worker's
job ends: every loaded table was left without its full-text index and with the trigger off, so
``datastore_search`` with ``q`` scanned the table and rows added later by ``datastore_upsert``
were never found by it. Here: the same work, in a transaction that commits.
"""
from __future__ import annotations

import logging
from typing import Any

from ckan import model
from ckanext.datastore.backend.postgres import create_indexes, get_write_engine
from ckanext.xloader import loader


def create_column_indexes(fields: list[dict[str, Any]], resource_id: str, logger: logging.Logger) -> None:
    logger.info("Creating column indexes (a speed optimization for queries)...")
    with get_write_engine().begin() as connection:
        create_indexes({"model": model, "ignore_auth": True, "connection": connection},
                       {"resource_id": resource_id, "fields": fields})
        loader._enable_fulltext_trigger(connection, resource_id)
    logger.info("...column indexes created.")

