"""A contest's rules document (参赛规则): checked like any upload, kept with the contest, public.

Stored in the ``govdata_contest`` storage (see :mod:`ckanext.govdata.storage`) as
``<contest id>/<random>.<ext>`` and served by ``/contest/<name>/rules`` under the name it was
uploaded with.
"""
from __future__ import annotations

import uuid
from typing import IO, Any

import ckan.plugins.toolkit as tk
from werkzeug.datastructures import FileStorage

from ckanext.govdata import documents, storage
from ckanext.govdata.messages import bilingual

FIELD = "rules_upload"
STORE = storage.Store("govdata_contest")


def _error(msgid: str, **params: Any) -> tk.ValidationError:
    return tk.ValidationError({FIELD: [bilingual(msgid, field=("参赛规则文件", "Rules document"), **params)]})


def upload_of(data_dict: dict[str, Any]) -> FileStorage | None:
    found = documents.uploads(data_dict.get(FIELD))
    return found[0] if found else None


def check(upload: FileStorage) -> dict[str, Any]:
    try:
        return documents.check(
            upload,
            tk.config.get("ckanext.govdata.showcase.rules_types"),
            tk.config.get("ckanext.govdata.showcase.rules_max_bytes"),
        )
    except documents.Rejected as rejected:
        raise _error(rejected.msgid, **rejected.params) from None


def _key(contest_id: str, document: dict[str, Any]) -> str:
    return f"{contest_id}/{document['id']}.{document['extension']}"


def store(contest_id: str, upload: FileStorage, checked: dict[str, Any]) -> dict[str, Any]:
    """Write a checked upload; returns what the contest records."""
    document = {
        "id": uuid.uuid4().hex,
        "name": checked["name"],
        "size": checked["size"],
        "mimetype": checked["mimetype"],
        "extension": checked["extension"],
    }
    try:
        STORE.put(_key(contest_id, document), upload)
    except storage.StorageUnavailable:
        raise _error("File storage is not configured") from None
    return document


def open(contest_id: str, document: dict[str, Any]) -> IO[bytes] | None:
    """The document's content to read, or None when its file is missing."""
    return STORE.open(_key(contest_id, document))


def delete(contest_id: str, document: dict[str, Any] | None) -> None:
    if document:
        STORE.delete(_key(contest_id, document))
