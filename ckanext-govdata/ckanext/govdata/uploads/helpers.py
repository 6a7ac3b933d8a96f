"""Template helpers of uploads: where a resource's load into the datastore stands, for those who
may edit its dataset. The public sees no load status or errors."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.xloader.utils import XLoaderFormats

from ckanext.govdata.uploads import fastload


def _labels() -> dict[str, tuple[str, str]]:
    waiting = (tk._("Waiting"), tk._("Waiting to be loaded into the datastore"))
    return {
        "submitting": waiting,
        "pending": waiting,
        "running": (tk._("Loading"), tk._("Being loaded into the datastore")),
        "running_but_viewable": (tk._("Loading"), tk._("Readable in the datastore, still being indexed")),
        "complete": (tk._("Loaded"), tk._("Loaded into the datastore")),
        "error": (tk._("Load failed"), tk._("Could not be loaded into the datastore")),
    }


def _full_text_labels() -> dict[str, tuple[str, str]]:
    preparing = (tk._("Being prepared"), tk._("Searchable by its columns; full-text search (q) finds its rows once this is done"))
    return {
        "pending": preparing,
        "running": preparing,
        "complete": (tk._("Ready"), tk._("Full-text search (q) finds its rows")),
        "error": (tk._("Failed"), tk._("Full-text search could not be prepared; load the file again")),
    }


def _full_text(resource_id: str) -> dict[str, str] | None:
    state = fastload.full_text_state(resource_id)
    if state is None:
        return None
    label, description = _full_text_labels().get(state, (state, ""))
    return {"state": state, "label": label, "description": description}


def _error_message(status: dict[str, Any]) -> str:
    for error in (status.get("error"), (status.get("task_info") or {}).get("error")):
        if isinstance(error, dict) and error.get("message"):
            return str(error["message"])
        if isinstance(error, str) and error:
            return error
    return ""


def govdata_upload_status(resource: dict[str, Any]) -> dict[str, Any] | None:
    """The resource's load: ``state``, ``label``, ``description``, ``error``, ``last_updated``, and
    ``full_text`` (``state``, ``label``, ``description``) for a table whose full text a follow-up
    job makes (uploads/fastload.py), else None;
    None for a format xloader does not load, a resource never submitted, or a user who may not
    edit the dataset."""
    if not XLoaderFormats.is_it_an_xloader_format(resource.get("format")):
        return None
    if not tk.h.check_access("package_update", {"id": resource.get("package_id")}):
        return None
    try:
        status = tk.get_action("xloader_status")({"ignore_auth": True}, {"resource_id": resource["id"]})
    except tk.ObjectNotFound:
        return None
    label, description = _labels().get(status["status"], (status["status"], ""))
    return {
        "state": status["status"], "label": label, "description": description,
        "error": _error_message(status) if status["status"] == "error" else "",
        "last_updated": status.get("last_updated"),
        "full_text": _full_text(resource["id"]) if status["status"] == "complete" else None,
    }


@tk.chained_helper
def xloader_badge(next_helper: Any, resource: dict[str, Any]) -> Any:
    """xloader's badge, in Chinese and for staff only (xloader shows it to everyone)."""
    status = govdata_upload_status(resource)
    if not status:
        return ""
    return tk.render_snippet("uploads/snippets/load_badge.html", {"resource": resource, "status": status})


@tk.chained_helper
def xloader_status_description(next_helper: Any, status: dict[str, Any]) -> str:
    if not status.get("status"):
        return tk._("Not loaded yet")
    return _labels().get(status["status"], (status["status"], ""))[0]


def all_helpers() -> dict[str, Any]:
    return {
        "govdata_upload_status": govdata_upload_status,
        "xloader_badge": xloader_badge,
        "xloader_status_description": xloader_status_description,
    }
