"""Data items from the data: what a dataset's datastore tables say its data items are, and
where the declared data items and the tables disagree.

The tables' own field info (``datastore_info``) gives the names and database types; the data
dictionary of a column (label, notes), where staff wrote one, gives the Chinese name and the
description. A loaded file's columns are all text (xloader copies it as it is), so their types
and lengths are read from the values: one scan of the table (``profile``). Declared items keep
what staff wrote for a column of the same name.

A data item's name is a field name (letters, digits, underscores); a Chinese column header
(序号, 单位名称) gives its pinyin (``xu_hao``) as the name and itself as the Chinese name.
"""
from __future__ import annotations

import re
from typing import Any

import ckan.plugins.toolkit as tk
from ckanext.datastore.backend.postgres import get_read_engine, identifier
from pypinyin import lazy_pinyin
from unidecode import unidecode

from ckanext.govdata.validators import rules

# Database type → the data_item_types vocabulary.
TYPES = {
    "text": "string", "varchar": "string", "char": "string", "name": "string",
    "int": "integer", "int2": "integer", "int4": "integer", "int8": "integer", "integer": "integer", "bigint": "integer",
    "numeric": "decimal", "float4": "decimal", "float8": "decimal", "double precision": "decimal",
    "date": "date", "timestamp": "datetime", "timestamptz": "datetime", "bool": "boolean", "boolean": "boolean",
}
# What every non-empty value of a text column must look like for the column to be of a type, in
# order. Numbers with leading zeros (codes such as 0575 or 330600-like ids padded) stay strings.
VALUE_PATTERNS = (
    ("integer", r"^[-+]?(0|[1-9][0-9]{0,17})$"),
    ("decimal", r"^[-+]?(0|[1-9][0-9]*)\.[0-9]+$|^[-+]?(0|[1-9][0-9]{0,17})$"),
    ("date", r"^[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}$"),
    ("datetime", r"^[0-9]{4}[-/][0-9]{1,2}[-/][0-9]{1,2}[ T][0-9]{1,2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?$"),
)


def item_name(column: str) -> str:
    """The data item name of a column: the column itself when it is a field name, else its
    pinyin (by words: 重庆 chong qing, 银行 yin hang) and other letters transliterated, joined
    by underscores."""
    if rules.FIELD_NAME_PATTERN.match(column):
        return column
    spelled = unidecode("_".join(lazy_pinyin(column)))
    words = re.sub(r"[^a-z0-9]+", "_", spelled.lower()).strip("_") or "field"
    return ("f_" + words if words[0].isdigit() else words)[:63]


def tables(package: dict[str, Any]) -> list[tuple[str, list[dict[str, Any]]]]:
    """(resource id, columns) of the package's datastore tables, without the datastore's ``_id``."""
    found = []
    for resource in package.get("resources") or []:
        if not resource.get("datastore_active"):
            continue
        try:
            info = tk.get_action("datastore_info")({"ignore_auth": True}, {"id": resource["id"]})
        except (tk.ObjectNotFound, tk.ValidationError):
            continue
        found.append((resource["id"], [field for field in info.get("fields") or [] if field["id"] != "_id"]))
    return found


def table_fields(package: dict[str, Any]) -> list[dict[str, Any]]:
    """The columns of the package's datastore tables, in order, one per data item name."""
    found: dict[str, dict[str, Any]] = {}
    for _resource_id, fields in tables(package):
        for field in fields:
            found.setdefault(item_name(field["id"]).lower(), field)
    return list(found.values())


def profile(resource_id: str, columns: list[str]) -> dict[str, tuple[str, int | None]]:
    """Type and greatest length (in characters) of the values of text columns, in one scan."""
    if not columns:
        return {}
    selected = []
    for column in columns:
        quoted = identifier(column)
        filled = f"FILTER (WHERE {quoted} <> '')"
        selected.append(f"max(char_length({quoted}))")
        selected += [f"bool_and({quoted} ~ '{pattern}') {filled}" for _type, pattern in VALUE_PATTERNS]
    with get_read_engine().connect() as connection:
        row = connection.exec_driver_sql(f"SELECT {', '.join(selected)} FROM {identifier(resource_id)}").one()
    found = {}
    width = 1 + len(VALUE_PATTERNS)
    for index, column in enumerate(columns):
        length, *matches = row[index * width:(index + 1) * width]
        kind = next((name for (name, _pattern), matched in zip(VALUE_PATTERNS, matches, strict=True) if matched), "string")
        found[column] = (kind, length)
    return found


def proposed(package: dict[str, Any]) -> list[dict[str, Any]]:
    """Data items for the package's tables: one per column, typed from the table (text columns
    from their values) with the longest value's length, keeping what the declared item of the
    same name says (Chinese name, description, key, length)."""
    declared = {str(item.get("name", "")).lower(): item for item in package.get("data_items") or []}
    items: dict[str, dict[str, Any]] = {}
    for resource_id, fields in tables(package):
        text = profile(resource_id, [field["id"] for field in fields if field.get("type") == "text"])
        for field in fields:
            name = item_name(field["id"])
            if name.lower() in items:
                continue
            info = field.get("info") or {}
            kind, length = text.get(field["id"], (TYPES.get(str(field.get("type", "")).lower(), "string"), None))
            item = {
                "name": name,
                "name_zh": info.get("label") or ("" if name == field["id"] else field["id"]),
                "type": kind,
                "description": info.get("notes") or "",
                "key": "false",
            }
            if length:
                item["length"] = length
            before = declared.get(name.lower())
            if before:
                item.update({key: before[key] for key in ("name_zh", "description", "key", "length") if before.get(key) not in (None, "")})
            items[name.lower()] = item
    return list(items.values())


def mismatch(package: dict[str, Any]) -> dict[str, list[str]] | None:
    """Where the declared data items and the tables disagree (names, case-insensitive; a Chinese
    column by its pinyin name); None when the package has no table to compare with or they agree."""
    fields = table_fields(package)
    if not fields:
        return None
    columns = {item_name(field["id"]).lower(): field["id"] for field in fields}
    declared = {str(item.get("name", "")).lower(): str(item.get("name", "")) for item in package.get("data_items") or []}
    found = {
        "not_in_table": sorted(name for key, name in declared.items() if key not in columns),
        "not_declared": sorted(name for key, name in columns.items() if key not in declared),
    }
    return found if found["not_in_table"] or found["not_declared"] else None
