"""A contest's rules document (参赛规则): checked like any upload, kept with the contest, public.

Stored as ``<ckan.storage_path>/govdata_contest/<contest id>/<random>.<ext>`` and served by
``/contest/<name>/rules`` under the name it was uploaded with.
"""
from __future__ import annotations

import os
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
from werkzeug.datastructures import FileStorage

from ckanext.govdata import documents
from ckanext.govdata.messages import bilingual

FIELD = "rules_upload"


def _error(msgid: str, **params: Any) -> tk.ValidationError:
    return tk.ValidationError({FIELD: [bilingual(msgid, field=("参赛规则文件", "Rules document"), **params)]})


def _root() -> str:
    base = tk.config.get("ckan.storage_path")
    if not base:
        raise _error("File storage is not configured")
    return os.path.join(base, "govdata_contest")


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


def store(contest_id: str, upload: FileStorage, checked: dict[str, Any]) -> dict[str, Any]:
    """Write a checked upload; returns what the contest records."""
    directory = os.path.join(_root(), contest_id)
    os.makedirs(directory, exist_ok=True)
    document = {
        "id": uuid.uuid4().hex,
        "name": checked["name"],
        "size": checked["size"],
        "mimetype": checked["mimetype"],
        "extension": checked["extension"],
    }
    upload.save(path(contest_id, document))
    return document


def path(contest_id: str, document: dict[str, Any]) -> str:
    return os.path.join(_root(), contest_id, f"{document['id']}.{document['extension']}")


def delete(contest_id: str, document: dict[str, Any] | None) -> None:
    if document:
        try:
            os.remove(path(contest_id, document))
        except FileNotFoundError:
            pass
