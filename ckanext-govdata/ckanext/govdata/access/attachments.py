"""Attachments of requests (authorisations, licences): checked, stored privately, served to few.

They hold identity documents, so they are not put where CKAN's generic uploader puts images
(served to anyone under ``/uploads``) but in ``<ckan.storage_path>/govdata_access/<request>``
and served by the request page to the applicant and the request's reviewers only.
"""
from __future__ import annotations

import os
import shutil
import uuid
from typing import IO, Any

import magic
from werkzeug.datastructures import FileStorage

import ckan.plugins.toolkit as tk

from ckanext.govdata.access.logic.schema import _error

# The content a file's extension promises, checked against what its bytes really are.
MIMETYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
}


def _root() -> str:
    base = tk.config.get("ckan.storage_path")
    if not base:
        raise tk.ValidationError({"attachments": [_error("attachments", "File storage is not configured")]})
    return os.path.join(base, "govdata_access")


def _size(stream: IO[bytes]) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def uploads(value: Any) -> list[FileStorage]:
    """The uploaded files in a data dict value (one file, a list, or nothing)."""
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, FileStorage) and item.filename]


def check(upload: FileStorage) -> dict[str, Any]:
    """Size and type of one upload, or a ValidationError naming the attachments field."""
    name = os.path.basename(upload.filename or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = [item.lower() for item in tk.aslist(tk.config.get("ckanext.govdata.access.attachment_types"))]
    if extension not in allowed or extension not in MIMETYPES:
        raise tk.ValidationError({"attachments": [_error(
            "attachments", "{field}: only these file types are accepted: {types}", types=", ".join(allowed)
        )]})
    size = _size(upload.stream)
    limit = tk.config.get("ckanext.govdata.access.attachment_max_size")
    if size == 0 or size > limit:
        raise tk.ValidationError({"attachments": [_error(
            "attachments", "{field}: each file must be between 1 byte and {limit} bytes", limit=limit
        )]})
    sniffed = magic.from_buffer(upload.stream.read(4096), mime=True)
    upload.stream.seek(0)
    if sniffed != MIMETYPES[extension]:
        raise tk.ValidationError({"attachments": [_error(
            "attachments", "{field}: the content of {name} is not a {extension} file", name=name, extension=extension
        )]})
    return {"name": name, "size": size, "mimetype": sniffed, "extension": extension}


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
