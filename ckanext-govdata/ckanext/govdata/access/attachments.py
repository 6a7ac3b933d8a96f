"""Attachments of requests (authorisations, licences): checked, stored privately, served to few.

They hold identity documents, so they are not put where CKAN's generic uploader puts images
(served to anyone under ``/uploads``) but in ``<ckan.storage_path>/govdata_access/<request>``
and served by the request page to the applicant and the request's reviewers only.
"""
from __future__ import annotations

import os
import shutil
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
from werkzeug.datastructures import FileStorage

from ckanext.govdata import documents
from ckanext.govdata.access.logic.schema import _error

uploads = documents.uploads


def _root() -> str:
    base = tk.config.get("ckan.storage_path")
    if not base:
        raise tk.ValidationError({"attachments": [_error("attachments", "File storage is not configured")]})
    return os.path.join(base, "govdata_access")


def check(upload: FileStorage) -> dict[str, Any]:
    """Size and type of one upload, or a ValidationError naming the attachments field."""
    try:
        return documents.check(
            upload,
            tk.aslist(tk.config.get("ckanext.govdata.access.attachment_types")),
            tk.config.get("ckanext.govdata.access.attachment_max_size"),
        )
    except documents.Rejected as rejected:
        raise tk.ValidationError({"attachments": [_error("attachments", rejected.msgid, **rejected.params)]}) from None


def store(request_id: str, upload: FileStorage, checked: dict[str, Any]) -> dict[str, Any]:
    """Write a checked upload under the request's directory; returns what the request records."""
    attachment_id = uuid.uuid4().hex
    directory = os.path.join(_root(), request_id)
    os.makedirs(directory, exist_ok=True)
    upload.save(os.path.join(directory, f"{attachment_id}.{checked['extension']}"))
    return {"id": attachment_id, "name": checked["name"], "size": checked["size"], "mimetype": checked["mimetype"]}


def path(request_id: str, attachment: dict[str, Any]) -> str:
    extension = attachment["name"].rsplit(".", 1)[-1].lower()
    return os.path.join(_root(), request_id, f"{attachment['id']}.{extension}")


def remove_all(request_id: str) -> None:
    """Drop the files of a request that was not saved."""
    shutil.rmtree(os.path.join(_root(), request_id), ignore_errors=True)
