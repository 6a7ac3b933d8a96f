"""Attachments of requests (authorisations, licences): checked, stored privately, served to few.

They hold identity documents, so they are not put where CKAN's generic uploader puts images
(served to anyone under ``/uploads``) but in their own storage, ``govdata_access`` (see
:mod:`ckanext.govdata.storage`), under ``<request id>/<attachment id>.<ext>``, and served by the
request page to the applicant, the request's reviewers and sysadmins only.
"""
from __future__ import annotations

import uuid
from typing import IO, Any

import ckan.plugins.toolkit as tk
from werkzeug.datastructures import FileStorage

from ckanext.govdata import documents, settings, storage
from ckanext.govdata.access.logic.schema import _error

uploads = documents.uploads
STORE = storage.Store("govdata_access")


def _unavailable() -> tk.ValidationError:
    return tk.ValidationError({"attachments": [_error("attachments", "File storage is not configured")]})


def check(upload: FileStorage) -> dict[str, Any]:
    """Size and type of one upload, or a ValidationError naming the attachments field."""
    try:
        return documents.check(
            upload,
            list(settings.current().access.attachment_types),
            settings.current().access.attachment_max_size,
        )
    except documents.Rejected as rejected:
        raise tk.ValidationError({"attachments": [_error("attachments", rejected.msgid, **rejected.params)]}) from None


def _key(request_id: str, attachment_id: str, extension: str) -> str:
    return f"{request_id}/{attachment_id}.{extension}"


def store(request_id: str, upload: FileStorage, checked: dict[str, Any]) -> dict[str, Any]:
    """Write a checked upload with the request's files; returns what the request records."""
    attachment_id = uuid.uuid4().hex
    try:
        STORE.put(_key(request_id, attachment_id, checked["extension"]), upload)
    except storage.StorageUnavailable:
        raise _unavailable() from None
    return {"id": attachment_id, "name": checked["name"], "size": checked["size"], "mimetype": checked["mimetype"]}


def open(request_id: str, attachment: dict[str, Any]) -> IO[bytes] | None:
    """The attachment's content to read, or None when its file is missing."""
    extension = attachment["name"].rsplit(".", 1)[-1].lower()
    return STORE.open(_key(request_id, attachment["id"], extension))


def remove_all(request_id: str) -> None:
    """Drop the files of a request that was not saved."""
    STORE.delete_under(request_id)
