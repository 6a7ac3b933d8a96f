"""What a data API serves, read from its metadata and the datastore: its response fields, the
parameters it takes, the table behind it and the open condition that governs its rows.

A ``dataservice`` is backed by one datastore table: the first active table among the resources
of its served datasets (in the order ``served_datasets`` lists them), or else a table of the API
package itself. Its response fields are its declared data items that are columns of that
table; its parameters are its declared parameters the table can answer:

* a parameter named like a column filters on it (exact; ``__gte``/``__lte``/``__gt``/``__lt``
  for dates, date-times and numbers);
* ``start_date`` / ``end_date`` bound the first date or date-time response field;
* ``page_no`` / ``page_size`` page like ``offset`` / ``limit``.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.govdata import open_condition

API_TYPE = "dataservice"
# Column types of the datastore as the kinds of value the API parses and documents.
KINDS = {
    "text": "text", "character varying": "text", "character": "text", "uuid": "text",
    "bigint": "integer", "integer": "integer", "smallint": "integer",
    "numeric": "number", "double precision": "number", "real": "number",
    "date": "date",
    "timestamp without time zone": "datetime", "timestamp with time zone": "datetime",
    "boolean": "boolean",
}
RANGE_KINDS = ("integer", "number", "date", "datetime")
PAGE_NO, PAGE_SIZE, START_DATE, END_DATE = "page_no", "page_size", "start_date", "end_date"
# Strictest last: an API never opens more than the dataset whose rows it serves.
STRICTNESS = (open_condition.UNCONDITIONAL, open_condition.CONDITIONAL, open_condition.NOT_OPEN)


@dataclasses.dataclass(frozen=True)
class Field:
    name: str
    title: str
    kind: str
    description: str


@dataclasses.dataclass(frozen=True)
class Parameter:
    name: str
    # filter | page_no | page_size | start_date | end_date
    role: str
    required: bool
    description: str
    # The column a filter or date bound applies to, and its kind.
    column: str | None = None
    kind: str = "integer"

    @property
    def ranged(self) -> bool:
        return self.role == "filter" and self.kind in RANGE_KINDS


@dataclasses.dataclass(frozen=True)
class Table:
    resource_id: str
    package_id: str
    columns: dict[str, str]  # name → kind, in table order, without the datastore's own columns


@dataclasses.dataclass(frozen=True)
class DataApi:
    name: str
    title: str
    notes: str
    package_id: str
    owner_org: str | None
    condition: str
    table: Table | None
    fields: tuple[Field, ...]
    parameters: tuple[Parameter, ...]
    # The package whose open condition and grants govern the rows (the table's dataset).
    governing: dict[str, Any]

    def field(self, name: str) -> Field | None:
        return next((field for field in self.fields if field.name == name), None)

    def parameter(self, name: str) -> Parameter | None:
        return next((parameter for parameter in self.parameters if parameter.name == name), None)

    @property
    def date_field(self) -> Field | None:
        return next((field for field in self.fields if field.kind in ("date", "datetime")), None)


def stricter(*conditions: str) -> str:
    return max(conditions, key=STRICTNESS.index)


def _read_engine() -> sa.engine.Engine:
    from ckanext.datastore.backend.postgres import get_read_engine

    return get_read_engine()


def table_columns(resource_ids: Iterable[str]) -> dict[str, dict[str, str]]:
    """Each existing table's columns (name → kind), in one query."""
    ids = sorted(set(resource_ids))
    if not ids:
        return {}
    query = sa.text(
        "SELECT table_name, column_name, data_type FROM information_schema.columns "
        "WHERE table_schema = 'public' AND table_name IN :ids ORDER BY table_name, ordinal_position"
    ).bindparams(sa.bindparam("ids", expanding=True))
    found: dict[str, dict[str, str]] = {}
    with _read_engine().connect() as connection:
        for table, column, data_type in connection.execute(query, {"ids": ids}):
            if not column.startswith("_"):
                found.setdefault(table, {})[column] = KINDS.get(data_type, "other")
    return found


def _table_resources(package: model.Package | None) -> list[model.Resource]:
    if package is None or package.state != "active":
        return []
    return [
        resource for resource in package.resources
        if resource.state == "active" and tk.asbool((resource.extras or {}).get("datastore_active"))
    ]


def candidate_tables(api: dict[str, Any]) -> list[model.Resource]:
    """The datastore resources that may back ``api``, best first."""
    candidates: list[model.Resource] = []
    for name in api.get("served_datasets") or []:
        candidates += _table_resources(model.Package.get(name))
    candidates += _table_resources(model.Package.get(api["id"]))
    return candidates


def _parameters(api: dict[str, Any], columns: dict[str, str], fields: tuple[Field, ...]) -> tuple[Parameter, ...]:
    date_field = next((field for field in fields if field.kind in ("date", "datetime")), None)
    parameters = []
    for declared in api.get("api_parameters") or []:
        name = declared.get("name") or ""
        required = str(declared.get("required")).lower() == "true"
        description = declared.get("description") or ""
        if name in columns:
            parameters.append(Parameter(name, "filter", required, description, name, columns[name]))
        elif name in (START_DATE, END_DATE) and date_field is not None:
            parameters.append(Parameter(name, name, required, description, date_field.name, date_field.kind))
        elif name in (PAGE_NO, PAGE_SIZE):
            parameters.append(Parameter(name, name, False, description))
    return tuple(parameters)


def describe(api: dict[str, Any], columns_by_table: dict[str, dict[str, str]] | None = None) -> DataApi:
    """``api`` (a dataservice dict as package_show gives it) as the interface it serves."""
    resources = candidate_tables(api)
    columns_by_table = columns_by_table if columns_by_table is not None else table_columns(r.id for r in resources)
    resource = next((resource for resource in resources if columns_by_table.get(resource.id)), None)
    table = None
    governing: dict[str, Any] = {"id": api["id"], "owner_org": api.get("owner_org"), "open_condition": api.get("open_condition")}
    condition = open_condition.condition_of(api)
    if resource is not None:
        table = Table(resource.id, resource.package_id, columns_by_table[resource.id])
        package = resource.package
        condition = stricter(condition, open_condition.condition_of(package))
        governing = {"id": package.id, "owner_org": package.owner_org, "open_condition": condition}
    columns = table.columns if table else {}
    declared = api.get("data_items") or []
    fields = tuple(
        Field(item["name"], item.get("name_zh") or item["name"], columns[item["name"]], item.get("description") or "")
        for item in declared if item.get("name") in columns
    )
    if not fields and table is not None:
        # Nothing declared matches the table: serve what the table holds rather than nothing.
        fields = tuple(Field(name, name, kind, "") for name, kind in columns.items())
    return DataApi(
        name=api["name"],
        title=api.get("title") or api["name"],
        notes=api.get("notes") or "",
        package_id=api["id"],
        owner_org=api.get("owner_org"),
        condition=condition,
        table=table,
        fields=fields,
        parameters=_parameters(api, columns, fields),
        governing=governing,
    )


def published(api: dict[str, Any] | None) -> bool:
    """A dataservice anyone may know of: active, public and of a condition that ever serves data."""
    return bool(
        api
        and api.get("type") == API_TYPE
        and api.get("state") == "active"
        and not api.get("private")
        and open_condition.condition_of(api) != open_condition.NOT_OPEN
    )


def package_dict(name: str) -> dict[str, Any] | None:
    """The dataservice's metadata as CKAN shows it, whoever asks (the caller is checked later)."""
    try:
        return tk.get_action("package_show")({"ignore_auth": True}, {"id": name})
    except (tk.ObjectNotFound, tk.ValidationError):
        return None


def find(name: str) -> DataApi | None:
    """The published data API called ``name``, or None (unknown, private, deleted, not open)."""
    api = package_dict(name)
    if not published(api):
        return None
    assert api is not None
    described = describe(api)
    return described if described.condition != open_condition.NOT_OPEN else None
