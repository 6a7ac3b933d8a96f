"""A UTF-8 CSV goes into the datastore in one COPY of the file itself; its full text follows.

xloader 2.5.2 re-writes every CSV row by row through tabulator (to make it UTF-8 and strip its
cells), copies that line by line into chunk files, COPYs them, then fills ``_full_text`` and
builds its index before the table counts as loaded: about 30x a raw COPY of the file (bench/
xloader.py). Our uploads are UTF-8 already (encoding.py transcodes GB18030 at upload), so for a
CSV that is UTF-8 ``load_csv`` here creates the table through ``datastore_create`` (columns as
text, as xloader does, or the type staff set in the data dictionary) and COPYs the downloaded
file straight into it: the table is queryable as soon as that commits. ``_full_text`` and its
index are then made by a background job (``complete_full_text``) whose state staff see beside
the load's; ``datastore_search`` with ``q`` finds the rows once it is done, and the full-text
trigger is on from the load, so rows added meanwhile are indexed as they come.

Everything else (other formats, other encodings, a header xloader would have to mend) keeps
xloader's own path. A file COPY refuses (ragged rows, bad quoting) fails the load with
PostgreSQL's message and leaves no table behind: nothing half-loaded is reported loaded.
Unlike xloader's path, cells are stored as written (no stripping of spaces).
"""
from __future__ import annotations

import codecs
import contextlib
import csv
import datetime
import io
import logging
from typing import Any

import ckan.plugins.toolkit as tk
import psycopg2
import sqlalchemy as sa
from ckan import model
from ckanext.datastore.backend.postgres import _drop_indexes, create_indexes, get_write_engine, identifier
from ckanext.xloader import loader
from ckanext.xloader.job_exceptions import FileCouldNotBeLoadedError

from ckanext.govdata.uploads import xloader_fixes

log = logging.getLogger(__name__)

TASK_TYPE = "govdata_full_text"
TASK_KEY = "full_text"
SAMPLE = 1024 * 1024
FULL_TEXT_TIMEOUT = 6 * 3600
_xloader_load_csv = loader.load_csv
# Tables this process loaded by COPY and whose full text is still to be made (the job calls
# load_csv, then create_column_indexes, in the same process).
_awaiting_full_text: set[str] = set()


def _utf8_headers(csv_filepath: str, mimetype: str | None) -> list[str] | None:
    """The header row of a comma-separated UTF-8 file whose names COPY can take as they are, or None."""
    if (mimetype or "").strip().lower().lstrip(".") != "csv":
        return None
    with open(csv_filepath, "rb") as source:
        sample = source.read(SAMPLE)
    try:
        # The sample may end inside a character: the incremental decoder keeps that tail back.
        text = codecs.getincrementaldecoder("utf-8")().decode(sample, final=len(sample) < SAMPLE)
    except UnicodeDecodeError:
        return None
    text = text.removeprefix("\ufeff")
    first_line = text.split("\n", 1)[0]
    if "," not in first_line and any(other in first_line for other in ";\t|"):
        return None
    try:
        headers = next(csv.reader(io.StringIO(text)))
    except (StopIteration, csv.Error):
        return None
    stripped = [header.strip()[:loader.MAX_COLUMN_LENGTH].strip() for header in headers]
    # xloader drops nameless columns (and their cells); COPY of the file cannot.
    if not stripped or not all(stripped):
        return None
    return stripped


def load_csv(csv_filepath: str, resource_id: str, mimetype: str = "text/csv", allow_type_guessing: bool = False,
             logger: logging.Logger | None = None) -> list[dict[str, Any]]:
    logger = logger or log
    headers = _utf8_headers(csv_filepath, mimetype)
    if headers is None:
        _awaiting_full_text.discard(resource_id)
        return _xloader_load_csv(csv_filepath, resource_id, mimetype=mimetype,
                                 allow_type_guessing=allow_type_guessing, logger=logger)
    fields = _prepare_table(resource_id, headers, logger)
    logger.info("Copying the UTF-8 file into the datastore in one COPY...")
    engine = get_write_engine()
    try:
        with engine.begin() as connection, open(csv_filepath, "rb") as source:
            loader._disable_fulltext_trigger(connection, resource_id)
            _drop_indexes({"model": model, "connection": connection}, {"resource_id": resource_id}, False)
            cursor = connection.connection.cursor()
            try:
                cursor.copy_expert(
                    f"COPY {identifier(resource_id)} ({', '.join(identifier(header) for header in headers)}) "
                    "FROM STDIN WITH (FORMAT csv, HEADER 1, ENCODING 'UTF8')", source)
            finally:
                cursor.close()
    except (psycopg2.DataError, sa.exc.DataError) as refused:
        # No half-loaded table: the COPY was rolled back, the empty table goes too.
        _delete_table(resource_id)
        message = str(getattr(refused, "orig", refused)).strip()
        logger.warning("%s: %s", resource_id, message)
        raise FileCouldNotBeLoadedError(f"The CSV file is not well formed: {message}") from refused
    logger.info("...copying done; the full text is made by a follow-up job")
    _awaiting_full_text.add(resource_id)
    return fields


def _prepare_table(resource_id: str, headers: list[str], logger: logging.Logger) -> list[dict[str, Any]]:
    """An empty table for the file, as xloader's load_csv leaves it before its COPY: a table of the
    same columns is emptied (its data dictionary and type overrides kept), another one replaced."""
    existing, existing_info, existing_fields, _by_header = loader._read_existing_fields(resource_id)
    if existing:
        fields = [{"id": header, "type": existing_info.get(header, {}).get("type_override") or "text"}
                  for header in headers]
        for field in fields:
            if field["id"] in existing_info:
                field["info"] = existing_info[field["id"]]
        match = loader._fields_match(fields, existing_fields, logger)
        loader._notify_datastore_before_update(resource_id=resource_id, existing_fields=existing_fields, new_headers=fields)
        if match == loader.FieldMatch.EXACT_MATCH:
            loader._clear_datastore_resource(resource_id)
            return fields
        _delete_table(resource_id)
    else:
        fields = [{"id": header, "type": "text"} for header in headers]
        loader._notify_datastore_before_update(resource_id=resource_id, existing_fields=None, new_headers=fields)
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    try:
        tk.get_action("datastore_create")({"ignore_auth": True, "user": site_user},
                                          {"resource_id": resource_id, "fields": fields, "records": None, "force": True})
    except tk.ValidationError as invalid:
        raise FileCouldNotBeLoadedError(f"Error with field definition: {invalid.error_dict}") from invalid
    return fields


def _delete_table(resource_id: str) -> None:
    """datastore_delete as the site user (xloader's delete_datastore_resource has no user, and
    the resource update that clears datastore_active then fails on CKAN 2.12)."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    with contextlib.suppress(tk.ObjectNotFound):
        tk.get_action("datastore_delete")({"ignore_auth": True, "user": site_user}, {"resource_id": resource_id, "force": True})


def create_column_indexes(fields: list[dict[str, Any]], resource_id: str, logger: logging.Logger) -> None:
    """After the load: a table loaded by COPY gets its full-text trigger back now, its full text
    and indexes from a follow-up job; any other table its indexes now (xloader_fixes)."""
    if resource_id not in _awaiting_full_text:
        xloader_fixes.create_column_indexes(fields, resource_id, logger)
        return
    _awaiting_full_text.discard(resource_id)
    with get_write_engine().begin() as connection:
        loader._enable_fulltext_trigger(connection, resource_id)
    set_full_text_state(resource_id, "pending")
    # Not rq's depends_on the load's job: the table is committed already, and in our tests a
    # dependent enqueued while its parent ran was at times missing from the queue (rq 2.10).
    tk.enqueue_job(complete_full_text, [resource_id], title=f"full text of {resource_id}",
                   rq_kwargs={"timeout": FULL_TEXT_TIMEOUT})
    logger.info("Full text of the table queued for a follow-up job")


def complete_full_text(resource_id: str) -> None:
    """Fills ``_full_text`` of the rows the COPY left without it, then builds the table's indexes."""
    set_full_text_state(resource_id, "running")
    try:
        with get_write_engine().begin() as connection:
            fields = [{"id": name, "type": kind} for name, kind in connection.execute(sa.text(
                "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                "WHERE attrelid = CAST(:table AS regclass) AND attnum > 0 AND NOT attisdropped ORDER BY attnum"),
                {"table": identifier(resource_id)})]
            columns = " || ' ' || ".join(
                f"coalesce({identifier(field['id'])}{'' if field['type'] == 'text' else '::text'}, '')"
                for field in fields if not field["id"].startswith("_"))
            connection.execute(sa.text(
                f"UPDATE {identifier(resource_id)} SET _full_text = to_tsvector({columns}) WHERE _full_text IS NULL"))
            create_indexes({"model": model, "ignore_auth": True, "connection": connection},
                           {"resource_id": resource_id, "fields": fields})
    except (sa.exc.ProgrammingError, sa.exc.DataError) as failed:
        # The table was replaced or deleted meanwhile (a newer load queues its own follow-up).
        log.warning("Full text of %s not made: %s", resource_id, failed)
        set_full_text_state(resource_id, "error", str(getattr(failed, "orig", failed)).strip())
        return
    set_full_text_state(resource_id, "complete")


def set_full_text_state(resource_id: str, state: str, error: str = "") -> None:
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    tk.get_action("task_status_update")({"ignore_auth": True, "user": site_user, "session": model.Session}, {
        "entity_id": resource_id, "entity_type": "resource", "task_type": TASK_TYPE, "key": TASK_KEY,
        "value": state, "state": state, "error": error, "last_updated": datetime.datetime.now(datetime.UTC).isoformat(),
    })


def full_text_state(resource_id: str) -> str | None:
    """pending, running, complete or error; None for a table whose full text came with its load."""
    try:
        task = tk.get_action("task_status_show")({"ignore_auth": True}, {
            "entity_id": resource_id, "task_type": TASK_TYPE, "key": TASK_KEY})
    except tk.ObjectNotFound:
        return None
    return str(task["state"])


def install() -> None:
    """xloader's job calls both through its loader module (this replaces xloader_fixes.install)."""
    loader.load_csv = load_csv
    loader.create_column_indexes = create_column_indexes
