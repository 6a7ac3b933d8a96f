"""Actions of the open directory's curation."""
from __future__ import annotations

import base64
from typing import Any

import ckan.plugins.toolkit as tk
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps, settings
from ckanext.govdata.curation import background, importing, reading, returned
from ckanext.govdata.curation.logic import schema


def govdata_catalogue_import(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Import a directory spreadsheet (xlsx or CSV in the template's layout) as the calling user.

    :param upload: the file (a multipart upload)
    :param partial: write the valid rows and leave out the others (default: write nothing
        unless every row is valid)
    :param confirm_duplicates: write new entries that look like existing ones (same department
        and a similar title, or the same data items); by default they are refused as problems
    :param background: import a file of more entries than
        ``ckanext.govdata.curation.import_background_rows`` in a background job (default: false)
    :returns: the report: rows, written, created / updated / unchanged / skipped resource codes,
        problems (sheet, row, column, value, message) and, when rows were refused, ``returned``:
        the token of those rows as a marked-up workbook (``govdata_catalogue_returned_show``).
        A file imported in the background answers with the job's status instead (``job``: its
        id, ``state`` queued; follow it with ``govdata_catalogue_import_status``)

    The whole file is one transaction, committed by this action (or the job) and then indexed.
    """
    tk.check_access("govdata_catalogue_import", context, data_dict)
    data = action_steps.validate(data_dict, schema.catalogue_import_schema(), context)
    filename, content = _content(data["upload"])
    partial, confirm_duplicates = bool(data.get("partial")), bool(data.get("confirm_duplicates"))
    try:
        if data.get("background"):
            rows = reading.entry_rows(reading.read(filename, content))
            if rows > settings.current().curation.import_background_rows:
                status = background.start(context["user"], filename, content, partial=partial,
                                          confirm_duplicates=confirm_duplicates, rows=rows)
                return {"job": status["id"], "state": status["state"]}
        report, checked = importing.run(filename, content, context["user"], partial=partial,
                                        confirm_duplicates=confirm_duplicates)
    except reading.FileRefused as refused:
        raise tk.ValidationError({"upload": [schema.fields.message("upload", refused.msgid, **refused.params)]}) from None
    return background.outcome(context["user"], report, checked)


@tk.side_effect_free
def govdata_catalogue_import_status(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A background import's status, for the user who started it and sysadmins.

    :param job: the job's id (``job`` of ``govdata_catalogue_import``'s answer)
    :returns: id, filename, state (queued, running, finished, failed), phase (queued, read,
        check, write), done and total entries of the phase, created and updated (UTC), and
        when it ended: ``report`` (as ``govdata_catalogue_import`` gives it) or ``error``.
        A job is kept for an hour after it was last updated.
    """
    tk.check_access("govdata_catalogue_import_status", context, data_dict)
    data = action_steps.validate(data_dict, schema.catalogue_import_status_schema(), context)
    status = background.current(data["job"])
    if status is None:
        raise tk.ObjectNotFound(schema.fields.message("job", "{field} is unknown or has expired"))
    return {key: value for key, value in status.items() if key != "user"}


def govdata_catalogue_returned_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The rows an import of the calling user refused, as a marked-up xlsx (base64), for an hour.

    :param token: the ``returned`` token of the import's report
    """
    tk.check_access("govdata_catalogue_returned_show", context, data_dict)
    data = action_steps.validate(data_dict, schema.catalogue_returned_schema(), context)
    content = returned.load(context["user"], data["token"])
    if content is None:
        raise tk.ObjectNotFound(schema.fields.message("token", "{field} is unknown or has expired"))
    return {"filename": "returned.xlsx", "content": base64.b64encode(content).decode("ascii")}


def _content(upload: Any) -> tuple[str, bytes]:
    """The name and bytes of an uploaded file, reading no more than the import accepts."""
    read = getattr(upload, "read", None)
    if read is None:
        raise tk.ValidationError({"upload": [schema.fields.message("upload", "{field} must be a file")]})
    limit = settings.current().curation.import_max_bytes
    return str(getattr(upload, "filename", "") or "upload"), read(limit + 1)
