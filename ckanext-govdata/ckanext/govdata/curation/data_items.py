"""Data items from the data: what a dataset's datastore tables say its data items are, and
where the declared data items and the tables disagree.

The tables' own field info (``datastore_info``) gives the names and database types; the data
dictionary of a column (label, notes), where staff wrote one, gives the Chinese name and the
description. Declared items keep what staff wrote for a column of the same name.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

# Database type → the data_item_types vocabulary.
TYPES = {
    "text": "string", "varchar": "string", "char": "string", "name": "string",
    "int": "integer", "int2": "integer", "int4": "integer", "int8": "integer", "integer": "integer", "bigint": "integer",
    "numeric": "decimal", "float4": "decimal", "float8": "decimal", "double precision": "decimal",
    "date": "date", "timestamp": "datetime", "timestamptz": "datetime", "bool": "boolean", "boolean": "boolean",
}


def table_fields(package: dict[str, Any]) -> list[dict[str, Any]]:
    """The columns of the package's datastore tables, in order, without repeats (and without
    the datastore's own ``_id``)."""
    found: dict[str, dict[str, Any]] = {}
    for resource in package.get("resources") or []:
        if not resource.get("datastore_active"):
            continue
        try:
            info = tk.get_action("datastore_info")({"ignore_auth": True}, {"id": resource["id"]})
        except (tk.ObjectNotFound, tk.ValidationError):
            continue
        for field in info.get("fields") or []:
            if field["id"] != "_id":
                found.setdefault(field["id"].lower(), field)
    return list(found.values())


def proposed(package: dict[str, Any]) -> list[dict[str, Any]]:
    """Data items for the package's tables: one per column, keeping what the declared item of
    the same name says (Chinese name, description, key, length)."""
    declared = {str(item.get("name", "")).lower(): item for item in package.get("data_items") or []}
    items = []
    for field in table_fields(package):
        info = field.get("info") or {}
        item = {
            "name": field["id"],
            "name_zh": info.get("label") or "",
            "type": TYPES.get(str(field.get("type", "")).lower(), "string"),
            "description": info.get("notes") or "",
            "key": "false",
        }
        before = declared.get(field["id"].lower())
        if before:
            item.update({key: before[key] for key in ("name_zh", "description", "key", "length") if before.get(key) not in (None, "")})
        items.append(item)
    return items


def mismatch(package: dict[str, Any]) -> dict[str, list[str]] | None:
    """Where the declared data items and the tables disagree (names, case-insensitive); None
    when the package has no table to compare with or they agree."""
    fields = table_fields(package)
    if not fields:
        return None
    columns = {field["id"].lower(): field["id"] for field in fields}
    declared = {str(item.get("name", "")).lower(): str(item.get("name", "")) for item in package.get("data_items") or []}
    found = {
        "not_in_table": sorted(name for key, name in declared.items() if key not in columns),
        "not_declared": sorted(name for key, name in columns.items() if key not in declared),
    }
    return found if found["not_in_table"] or found["not_declared"] else None
