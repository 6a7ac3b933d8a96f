"""A resource id belongs to one dataset for good.

CKAN saves a resource dict that names an existing id by updating that row, wherever it lives:
naming a deleted (or another dataset's) resource in ``resource_create`` or ``package_update``
moves it, with its uploaded file, under the caller's dataset and that dataset's open condition.
The chained actions refuse such ids with a ValidationError naming the field; the flush guard
refuses any move that reaches the database by another path.
"""
from __future__ import annotations

import os
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Action, Context, DataDict

from ckanext.govdata.messages import bilingual


def _taken_message() -> str:
    return bilingual("This resource id is already used and cannot be given to another resource")


def _has_stored_file(resource_id: str) -> bool:
    """A purged resource leaves its upload behind: the id still names that file."""
    from ckan.lib.uploader import get_resource_uploader

    uploader = get_resource_uploader({"id": resource_id})
    if not getattr(uploader, "storage_path", None):
        return False
    try:
        return os.path.exists(uploader.get_path(resource_id))
    except tk.ValidationError:
        return True


def _refused_resources(package_id: str | None, resources: Any) -> list[dict[str, Any]] | None:
    """Per-resource errors (CKAN's shape for ``resources``), or None when every id is free or the dataset's own."""
    if not isinstance(resources, list):
        return None
    named = {
        index: resource["id"]
        for index, resource in enumerate(resources)
        if isinstance(resource, dict) and isinstance(resource.get("id"), str) and resource["id"]
    }
    if not named:
        return None
    existing = {
        row.id: row
        for row in model.Session.query(model.Resource.id, model.Resource.package_id, model.Resource.state)
        .filter(model.Resource.id.in_(set(named.values())))
    }
    errors: list[dict[str, Any]] = [{} for _ in resources]
    refused = False
    for index, resource_id in named.items():
        row = existing.get(resource_id)
        if (row is None and _has_stored_file(resource_id)) or (
            row is not None and (row.package_id != package_id or row.state == model.State.DELETED)
        ):
            errors[index] = {"id": [_taken_message()]}
            refused = True
    return errors if refused else None


def _check(package_id: str | None, data_dict: DataDict) -> None:
    errors = _refused_resources(package_id, data_dict.get("resources"))
    if errors is not None:
        raise tk.ValidationError({"resources": errors})


@tk.chained_action
def package_create(original_action: Action, context: Context, data_dict: DataDict) -> Any:
    tk.check_access("package_create", dict(context), data_dict)
    _check(None, data_dict)
    return original_action(context, data_dict)


@tk.chained_action
def package_update(original_action: Action, context: Context, data_dict: DataDict) -> Any:
    """``resource_create``, ``resource_update``, ``package_patch`` and ``package_revise`` all end here."""
    name_or_id = data_dict.get("id") or data_dict.get("name")
    package = model.Package.get(name_or_id) if isinstance(name_or_id, str) and name_or_id else None
    if package is not None:
        tk.check_access("package_update", dict(context), data_dict)
        _check(package.id, data_dict)
    return original_action(context, data_dict)


def refuse_moved_resources(session: Any, flush_context: Any, instances: Any) -> None:
    """Last line: an existing resource row never changes dataset, whatever code path tries it."""
    for obj in session.dirty:
        if not isinstance(obj, model.Resource):
            continue
        history = sa.inspect(obj).attrs.package_id.history
        if history.deleted and history.deleted[0] is not None and history.added and history.added[0] != history.deleted[0]:
            raise tk.NotAuthorized(_taken_message())


def install_flush_guard() -> None:
    if not sa.event.contains(model.Session, "before_flush", refuse_moved_resources):
        sa.event.listen(model.Session, "before_flush", refuse_moved_resources)


def chained_actions() -> dict[str, Action]:
    return {"package_create": package_create, "package_update": package_update}
