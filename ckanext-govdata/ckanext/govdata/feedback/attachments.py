"""The attachment of an error report (a screenshot or a document): checked, stored privately.

Kept in its own storage, ``govdata_feedback`` (see :mod:`ckanext.govdata.storage`), under
``<report id>/<attachment id>.<ext>``, and served by the report's page to those who may see the
report: its reporter, the department and the bureau.
"""
from __future__ import annotations

import uuid
from typing import IO, Any

import ckan.plugins.toolkit as tk
from werkzeug.datastructures import FileStorage

from ckanext.govdata import documents, settings, storage
from ckanext.govdata.feedback.logic.schema import _error

STORE = storage.Store("govdata_feedback")


def upload_of(value: Any) -> FileStorage | None:
    """The one uploaded file in ``value``; more than one is refused."""
    found = documents.uploads(value)
    if len(found) > 1:
        raise tk.ValidationError({"attachment": [_error("attachment", "{field}: attach one file only")]})
    if value not in (None, "", []) and not found:
        raise tk.ValidationError({"attachment": [_error("attachment", "{field} must be an uploaded file")]})
    return found[0] if found else None


def check(upload: FileStorage) -> dict[str, Any]:
    """Size and type of the upload, or a ValidationError naming the attachment field."""
    options = settings.current().feedback
    try:
        return documents.check(upload, list(options.attachment_types), options.attachment_max_size)
    except documents.Rejected as rejected:
        raise tk.ValidationError({"attachment": [_error("attachment", rejected.msgid, **rejected.params)]}) from None


def _key(correction_id: str, attachment_id: str, extension: str) -> str:
    return f"{correction_id}/{attachment_id}.{extension}"


def store(correction_id: str, upload: FileStorage, checked: dict[str, Any]) -> dict[str, Any]:
    """Write a checked upload with the report's files; returns what the report records."""
    attachment_id = uuid.uuid4().hex
    try:
        STORE.put(_key(correction_id, attachment_id, checked["extension"]), upload)
    except storage.StorageUnavailable:
        raise tk.ValidationError({"attachment": [_error("attachment", "File storage is not configured")]}) from None
    return {"id": attachment_id, "name": checked["name"], "size": checked["size"], "mimetype": checked["mimetype"],
            "extension": checked["extension"]}


def open(correction_id: str, attachment: dict[str, Any]) -> IO[bytes] | None:
    return STORE.open(_key(correction_id, attachment["id"], attachment["extension"]))


def remove_all(correction_id: str) -> None:
    STORE.delete_under(correction_id)
