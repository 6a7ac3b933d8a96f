"""Rules that suit a table's data items, proposed from their declared types, keys and names.

A key item must be present and unique (the key items of a table together); a typed item must
hold values of its type; an item whose name says it holds a credit code, an ID number, a phone
number, an e-mail address or a postcode must hold valid ones; a dataset that states its record
count must have that many rows.
"""
from __future__ import annotations

import json
from typing import Any

from ckanext.govdata.quality.kinds import KINDS

# Words in a data item's name or Chinese name → the format its values must have.
FORMAT_WORDS = (
    ("credit_code", ("统一社会信用代码", "信用代码", "credit_code", "uscc")),
    ("id_number", ("身份证", "公民身份号码", "id_card", "id_number", "idcard")),
    ("phone", ("电话", "手机", "phone", "mobile", "tel")),
    ("email", ("邮箱", "电子邮件", "email", "e_mail")),
    ("postcode", ("邮编", "邮政编码", "postcode", "zip")),
)
CHECKED_TYPES = ("integer", "decimal", "date", "datetime", "boolean")
# Database types that already guarantee a data item's type: no type rule for those.
TYPED_COLUMNS = ("integer", "bigint", "smallint", "numeric", "double precision", "real", "date", "boolean",
                 "timestamp without time zone", "timestamp with time zone")


def signature(resource_id: str, kind: str, columns: list[str], params: dict[str, Any]) -> str:
    return json.dumps([resource_id, kind, sorted(columns), params], sort_keys=True, ensure_ascii=False)


def _format_of(item: dict[str, Any]) -> str | None:
    words = f"{item.get('name', '')} {item.get('name_zh', '')}".lower()
    for format_, markers in FORMAT_WORDS:
        if any(marker in words for marker in markers):
            return format_
    return None


def _proposal(package: dict[str, Any], resource_id: str, kind: str, columns: list[str],
              params: dict[str, Any], reason: str) -> dict[str, Any]:
    return {
        "package_id": package["id"], "resource_id": resource_id, "kind": kind, "dimension": KINDS[kind].dimension,
        "columns": columns, "params": params, "reason": reason, **params,
    }


def propose(package: dict[str, Any], resource_id: str, columns: dict[str, str]) -> list[dict[str, Any]]:
    """Proposed rules for the table ``resource_id`` whose columns (name → database type) are
    ``columns``, from the dataset's data items of the same names."""
    by_name = {column.lower(): column for column in columns if column != "_id"}
    found: list[dict[str, Any]] = []
    keys: list[str] = []
    for item in package.get("data_items") or []:
        column = by_name.get(str(item.get("name", "")).lower())
        if column is None:
            continue
        if str(item.get("key")) == "true":
            keys.append(column)
            found.append(_proposal(package, resource_id, "required", [column], {}, "key"))
        type_ = item.get("type")
        if type_ in CHECKED_TYPES and columns[column] not in TYPED_COLUMNS:
            found.append(_proposal(package, resource_id, "type", [column], {"type": type_}, "type"))
        format_ = _format_of(item)
        if format_ and type_ in (None, "", "string", "text"):
            found.append(_proposal(package, resource_id, "format", [column], {"format": format_}, "name"))
    if keys:
        found.append(_proposal(package, resource_id, "unique", keys, {}, "key"))
    if str(package.get("record_count") or "").strip():
        found.append(_proposal(package, resource_id, "record_count", [], {}, "record_count"))
    return found
