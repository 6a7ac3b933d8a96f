"""Large directory imports as background jobs, their progress kept in Redis.

The upload's request enqueues the import (CKAN's jobs: RQ on Redis, run by ``ckan jobs
worker``) and keeps the job's status under a key of its own for ``KEEP_SECONDS``: who started
it, its state and phase, how many entries are done of how many, and when it ends the import's
report (as the synchronous import gives it). Only that user and sysadmins may read it
(``govdata_catalogue_import_status``). A job that stops without saying so (a worker killed,
the job's time up) is reported failed from RQ's own record, never left running.
"""
from __future__ import annotations

import json
import logging
import secrets
import time
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import jobs
from ckan.lib.redis import connect_to_redis

from ckanext.govdata import calendar
from ckanext.govdata.curation import exporting, importing, reading, returned
from ckanext.govdata.messages import bilingual

log = logging.getLogger(__name__)

QUEUED, RUNNING, FINISHED, FAILED = "queued", "running", "finished", "failed"
ENDED = (FINISHED, FAILED)
KEEP_SECONDS = returned.KEEP_SECONDS
# A 20,000-row file on a busy server: far beyond CKAN's default job timeout of 180 s.
TIMEOUT_SECONDS = 3600
# Progress is written to Redis at most this often (and at the end of each phase).
PROGRESS_SECONDS = 0.5


def _key(job_id: str) -> str:
    return f"govdata:curation:import:{job_id}"


def is_job_id(text: Any) -> bool:
    return isinstance(text, str) and 8 <= len(text) <= 64 and text.replace("-", "").replace("_", "").isalnum()


def load(job_id: str) -> dict[str, Any] | None:
    """The job's status; None when unknown or expired."""
    if not is_job_id(job_id):
        return None
    found = connect_to_redis().get(_key(job_id))
    return json.loads(found) if found is not None else None


def _save(status: dict[str, Any]) -> None:
    status["updated"] = calendar.utcnow().isoformat()
    connect_to_redis().set(_key(status["id"]), json.dumps(status, ensure_ascii=False), ex=KEEP_SECONDS)


def start(user: str, filename: str, content: bytes, *, partial: bool, confirm_duplicates: bool, rows: int) -> dict[str, Any]:
    """Enqueue the import of ``content`` as ``user``; the new job's status."""
    job_id = secrets.token_urlsafe(16)
    status = {
        "id": job_id, "user": user, "filename": filename, "state": QUEUED, "phase": QUEUED, "done": 0, "total": rows,
        "report": None, "error": None, "created": calendar.utcnow().isoformat(),
    }
    _save(status)
    tk.enqueue_job(
        run, [job_id, user, filename, content, partial, confirm_duplicates], title=f"directory import {filename}",
        rq_kwargs={"job_id": job_id, "timeout": TIMEOUT_SECONDS, "result_ttl": KEEP_SECONDS, "failure_ttl": KEEP_SECONDS},
    )
    return status


def outcome(user: str, report: importing.Report, checked: Any) -> dict[str, Any]:
    """The report as the import action gives it: with the token of the rows handed back, if any."""
    result = report.as_dict()
    if report.problems:
        result["returned"] = returned.store(user, exporting.returned(checked, report.problems))
    return result


def run(job_id: str, user: str, filename: str, content: bytes, partial: bool, confirm_duplicates: bool) -> None:
    """The job: the import, its progress and its report written to the job's status."""
    status = load(job_id)
    if status is None:
        log.error("catalogue import job %s: its status expired before it ran", job_id)
        return
    status.update(state=RUNNING, phase="read")
    _save(status)
    last = 0.0

    def progress(phase: str, done: int, total: int) -> None:
        nonlocal last
        now = time.monotonic()
        if phase == status["phase"] and done < total and now - last < PROGRESS_SECONDS:
            return
        last = now
        status.update(phase=phase, done=done, total=total)
        _save(status)

    try:
        report, checked = importing.run(filename, content, user, partial=partial, confirm_duplicates=confirm_duplicates,
                                        progress=progress)
        status.update(state=FINISHED, report=outcome(user, report, checked))
    except reading.FileRefused as refused:
        status.update(state=FAILED, error=bilingual(refused.msgid, **refused.params))
    except Exception as error:
        model.Session.rollback()
        log.exception("catalogue import job %s failed", job_id)
        status.update(state=FAILED, error=bilingual(
            "The import stopped on an unexpected error, nothing was written: {error}", error=str(error)[:300]
        ))
    _save(status)


def current(job_id: str) -> dict[str, Any] | None:
    """The job's status, failed when RQ has lost or failed the job without its saying so."""
    status = load(job_id)
    if status is None or status["state"] in ENDED:
        return status
    try:
        rq_status = jobs.job_from_id(job_id).get_status()
    except KeyError:
        rq_status = None
    if rq_status is None or str(getattr(rq_status, "value", rq_status)) in ("finished", "failed", "stopped", "canceled"):
        # Read again: the job may have ended between the two reads.
        status = load(job_id) or status
        if status["state"] not in ENDED:
            status.update(state=FAILED, error=bilingual(
                "The import stopped before it finished (the background worker was stopped or ran out of time): "
                "check the directory, then import the file again"
            ))
            _save(status)
    return status
