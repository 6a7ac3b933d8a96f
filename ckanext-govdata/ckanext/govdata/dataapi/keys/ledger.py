"""The call ledger: every data API call is pushed to a Redis list in the request (no database
write there) and written to ``govdata_api_call`` in batches by ``flush``.

``flush`` runs from ``ckan govdata api flush-ledger`` (the scheduler's crontab, every minute),
and as a background job once ``ckanext.govdata.dataapi.keys.ledger_flush_threshold`` calls wait. A
batch is taken off the list and written in one transaction; if the write fails the batch is put
back at the head of the list, so a call is recorded once or, after a crash between the two,
at worst lost with that batch — never written twice.
"""
from __future__ import annotations

import datetime as dt
import json
import logging
from typing import Any

import ckan.plugins.toolkit as tk
import redis
from ckan import model

from ckanext.govdata import calendar
from ckanext.govdata.dataapi.keys import limits
from ckanext.govdata.dataapi.keys.model import ApiCall

log = logging.getLogger(__name__)

LEDGER_KEY = "govdata:ledger:api_calls"
# Sent once per flushed batch with ``connection`` and ``calls`` [(local day, package id, caller)];
# the caller is app:<id>, user:<id> or ANONYMOUS (stats.usage's name for callers without one).
CALLS_FLUSHED = "govdata_api_calls_flushed"
ANONYMOUS = "anonymous"
BATCH = 1000


def record(entry: dict[str, Any]) -> None:
    """Push one call; a Redis that is down loses the entry (logged), never the answer."""
    try:
        waiting = limits.connection().rpush(LEDGER_KEY, json.dumps(entry, ensure_ascii=False))
    except redis.RedisError as error:
        log.warning("Data API call not recorded (Redis): %s", error)
        return
    threshold = tk.config.get("ckanext.govdata.dataapi.keys.ledger_flush_threshold")
    if threshold and waiting == threshold:
        try:
            tk.enqueue_job(flush, title="govdata: flush the data API call ledger")
        except Exception as error:
            log.warning("Ledger flush job not queued: %s", error)


def waiting() -> int:
    return int(limits.connection().llen(LEDGER_KEY))


def _take(connection: redis.Redis, size: int) -> list[bytes]:
    pipeline = connection.pipeline(transaction=True)
    pipeline.lrange(LEDGER_KEY, 0, size - 1)
    pipeline.ltrim(LEDGER_KEY, size, -1)
    taken, _ = pipeline.execute()
    return list(taken)


def _row(raw: bytes) -> dict[str, Any]:
    entry = json.loads(raw)
    return {
        "app_id": entry.get("app_id"),
        "user_id": entry.get("user_id"),
        "api": entry["api"],
        "package_id": entry.get("package_id"),
        "called_at": dt.datetime.fromisoformat(entry["called_at"]),
        "status": int(entry["status"]),
        "rows": int(entry.get("rows") or 0),
        "latency_ms": float(entry.get("latency_ms") or 0),
        "client": entry.get("client"),
    }


def flush(batch: int = BATCH) -> int:
    """Write every waiting call to ``govdata_api_call``, ``batch`` rows a transaction; how many."""
    connection = limits.connection()
    written = 0
    while True:
        taken = _take(connection, batch)
        if not taken:
            return written
        try:
            rows = [_row(raw) for raw in taken]
            model.Session.execute(ApiCall.__table__.insert(), rows)
            _count_in_stats(rows)
            model.Session.commit()
        except Exception:
            model.Session.rollback()
            connection.lpush(LEDGER_KEY, *reversed(taken))
            raise
        written += len(rows)


def _count_in_stats(rows: list[dict[str, Any]]) -> None:
    """Answered calls reach the portal's usage counters in the flush's transaction: the statistics
    plugin counts them when it hears ``CALLS_FLUSHED`` (a feature tells another by a signal, it
    does not import it), on the connection it is given."""
    calls = [
        (calendar.local_date(row["called_at"]), row["package_id"],
         f"app:{row['app_id']}" if row["app_id"] else f"user:{row['user_id']}" if row["user_id"] else ANONYMOUS)
        for row in rows if row["status"] < 400 and row["package_id"]
    ]
    if calls:
        tk.signals.ckanext.signal(CALLS_FLUSHED).send("govdata_devkeys", connection=model.Session.connection(),
                                                      calls=calls)
