"""A data API call: its query string checked against the API's interface, then one SELECT (and one
count) on the table behind it.

Values only ever travel as bound parameters; identifiers come only from the table's own columns
(which the declared fields and parameters were matched against) and are quoted by psycopg2.
"""
from __future__ import annotations

import base64
import binascii
import dataclasses
import datetime as dt
import decimal
import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from psycopg2 import sql

from ckanext.govdata import settings
from ckanext.govdata.dataapi import errors
from ckanext.govdata.dataapi.interface import (
    END_DATE,
    PAGE_NO,
    PAGE_SIZE,
    START_DATE,
    DataApi,
    Table,
    _read_engine,
)
from ckanext.govdata.messages import bilingual

FIELDS, SORT, LIMIT, OFFSET, CURSOR, FORMAT = "fields", "sort", "limit", "offset", "cursor", "format"
CONTROLS = (FIELDS, SORT, LIMIT, OFFSET, CURSOR, FORMAT)
FORMATS = ("json", "csv")
RANGE_OPERATORS = {"gte": ">=", "lte": "<=", "gt": ">", "lt": "<"}
ROW_ID = "_id"
NAME_LIST = re.compile(r"^[A-Za-z0-9_,\- ]*$")
# PostgreSQL's bigint bounds: a larger number is a bad value, not a database error.
BIGINT = 2**63 - 1


@dataclasses.dataclass(frozen=True)
class Condition:
    column: str
    operator: str  # =, >=, <=, >, <
    value: Any
    as_text: bool = False


@dataclasses.dataclass(frozen=True)
class Query:
    conditions: tuple[Condition, ...]
    fields: tuple[str, ...]
    sort: tuple[tuple[str, bool], ...]  # (column, descending)
    limit: int
    offset: int
    after: int | None
    format: str


@dataclasses.dataclass(frozen=True)
class Page:
    fields: tuple[str, ...]
    records: list[dict[str, Any]]
    total: int
    limit: int
    offset: int
    next_cursor: str | None


def _whole(name: str, raw: str, minimum: int) -> int:
    if not re.fullmatch(r"\d{1,18}", raw.strip()):
        raise errors.bad_parameter(name, "Parameter {name} must be a whole number")
    value = int(raw)
    if value < minimum:
        raise errors.bad_parameter(name, "Parameter {name} must be at least {minimum}", minimum=minimum)
    return value


def convert(name: str, kind: str, raw: str) -> Any:
    """``raw`` as a value of a column of ``kind``; a 400 naming ``name`` when it is not one."""
    text = raw.strip()
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d{1,19}", text) or abs(int(text)) > BIGINT:
            raise errors.bad_parameter(name, "Parameter {name} must be a whole number")
        return int(text)
    if kind == "number":
        try:
            number = decimal.Decimal(text)
        except decimal.InvalidOperation:
            number = decimal.Decimal("NaN")
        if not number.is_finite() or abs(number) > decimal.Decimal("1e100"):
            raise errors.bad_parameter(name, "Parameter {name} must be a number")
        return number
    if kind in ("date", "datetime"):
        try:
            return dt.date.fromisoformat(text) if kind == "date" else dt.datetime.fromisoformat(text)
        except ValueError:
            raise errors.bad_parameter(name, "Parameter {name} must be a date (YYYY-MM-DD)") from None
    if kind == "boolean":
        if text.lower() not in ("true", "false"):
            raise errors.bad_parameter(name, "Parameter {name} must be true or false")
        return text.lower() == "true"
    if "\x00" in raw or len(raw) > 1000:
        raise errors.bad_parameter(name, "Parameter {name} is not a valid value")
    return raw


def _names(name: str, raw: str, allowed: Sequence[str], descending_allowed: bool) -> list[tuple[str, bool]]:
    if not NAME_LIST.match(raw):
        raise errors.bad_parameter(name, "Parameter {name} must list field names separated by commas")
    chosen: list[tuple[str, bool]] = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        descending = descending_allowed and item.startswith("-")
        field = item[1:] if descending else item
        if field not in allowed:
            raise errors.bad_parameter(name, "Parameter {name} names an unknown field: {item}", item=field[:60])
        chosen.append((field, descending))
    return chosen


def encode_cursor(last_id: int) -> str:
    return base64.urlsafe_b64encode(json.dumps({"after": last_id}).encode()).decode().rstrip("=")


def decode_cursor(raw: str) -> int:
    try:
        padded = raw + "=" * (-len(raw) % 4)
        decoded = json.loads(base64.urlsafe_b64decode(padded.encode("ascii")))
        after = decoded["after"]
        if not isinstance(after, int) or isinstance(after, bool) or not 0 <= after <= BIGINT:
            raise ValueError
        return after
    except (ValueError, TypeError, KeyError, binascii.Error, UnicodeError):
        raise errors.ApiError(
            400, "bad_cursor", bilingual("The cursor is not one this API gave out"), CURSOR
        ) from None


def _single(args: Mapping[str, list[str]], name: str) -> str | None:
    values = args.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise errors.repeated_parameter(name)
    return values[0]


def parse(api: DataApi, args: Mapping[str, list[str]], accept_csv: bool = False) -> Query:
    """The call's query string (name → values) as a Query, or a 400 naming the first problem."""
    config = settings.current().dataapi
    # An empty value counts as not given: a plain HTML form sends its empty fields.
    args = {name: values for name, values in args.items() if any(value != "" for value in values)}
    conditions: list[Condition] = []
    limit: int | None = None
    offset = 0
    page_no: int | None = None
    for name in args:
        if name in CONTROLS:
            continue
        base, _, operator = name.rpartition("__") if "__" in name else (name, "", "")
        parameter = api.parameter(base)
        if parameter is None or (operator and (operator not in RANGE_OPERATORS or not parameter.ranged)):
            raise errors.unknown_parameter(name[:60])
        raw = _single(args, name)
        assert raw is not None
        if parameter.role == "filter":
            assert parameter.column is not None
            value = convert(name, parameter.kind, raw)
            symbol = RANGE_OPERATORS[operator] if operator else "="
            conditions.append(Condition(parameter.column, symbol, value, as_text=parameter.kind == "other"))
        elif parameter.role in (START_DATE, END_DATE):
            assert parameter.column is not None
            value = convert(name, "date", raw)
            if parameter.role == START_DATE:
                conditions.append(Condition(parameter.column, ">=", value))
            elif parameter.kind == "datetime":
                conditions.append(Condition(parameter.column, "<", value + dt.timedelta(days=1)))
            else:
                conditions.append(Condition(parameter.column, "<=", value))
        elif parameter.role == PAGE_SIZE:
            limit = _whole(name, raw, 1)
        elif parameter.role == PAGE_NO:
            page_no = _whole(name, raw, 1)
    for parameter in api.parameters:
        if parameter.required and parameter.name not in args:
            raise errors.missing_parameter(parameter.name)

    raw_limit = _single(args, LIMIT)
    if raw_limit is not None:
        limit = _whole(LIMIT, raw_limit, 1)
    limit_name = LIMIT if raw_limit is not None else PAGE_SIZE
    limit = config.default_limit if limit is None else limit
    if limit > config.max_limit:
        raise errors.limit_too_large(limit_name, config.max_limit)
    raw_offset = _single(args, OFFSET)
    if raw_offset is not None:
        offset = _whole(OFFSET, raw_offset, 0)
    elif page_no is not None:
        offset = (page_no - 1) * limit

    names = [field.name for field in api.fields]
    raw_fields = _single(args, FIELDS)
    fields = tuple(field for field, _ in _names(FIELDS, raw_fields, names, False)) if raw_fields else tuple(names)
    raw_sort = _single(args, SORT)
    sort = tuple(_names(SORT, raw_sort, names, True)) if raw_sort else ()

    after = None
    raw_cursor = _single(args, CURSOR)
    if raw_cursor is not None:
        after = decode_cursor(raw_cursor)
        if sort:
            raise errors.bad_parameter(CURSOR, "Parameter {name} pages in the default order only: leave out sort")
        if raw_offset is not None or page_no is not None:
            raise errors.bad_parameter(CURSOR, "Parameter {name} replaces offset and page_no: give only one")

    output = (_single(args, FORMAT) or ("csv" if accept_csv else "json")).lower()
    if output not in FORMATS:
        raise errors.bad_parameter(FORMAT, "Parameter {name} must be json or csv")
    return Query(tuple(conditions), fields, sort, limit, offset, after, output)


def _where(conditions: Sequence[Condition]) -> tuple[sql.Composable, list[Any]]:
    clauses: list[sql.Composable] = []
    values: list[Any] = []
    for condition in conditions:
        column: sql.Composable = sql.Identifier(condition.column)
        if condition.as_text:
            column = sql.SQL("CAST({} AS text)").format(column)
        clauses.append(sql.SQL("{} {} %s").format(column, sql.SQL(condition.operator)))
        values.append(condition.value)
    if not clauses:
        return sql.SQL("TRUE"), values
    return sql.SQL(" AND ").join(clauses), values


def row_filter_condition(table: Table, row_filter: dict[str, str] | None) -> Condition | None:
    """A data-subject grant's filter as a condition; one on a column the table lacks matches nothing."""
    if not row_filter:
        return None
    column = row_filter.get("column") or ""
    if column not in table.columns:
        return Condition(ROW_ID, "<", 0)
    return Condition(column, "=", str(row_filter.get("value") or ""), as_text=True)


def _json_value(value: Any) -> Any:
    if isinstance(value, decimal.Decimal):
        return int(value) if value == value.to_integral_value() and abs(value) < 2**53 else float(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return value


def run(table: Table, query: Query, extra: Sequence[Condition] = ()) -> Page:
    """One page of ``table`` for ``query``, with the rows' total, ``extra`` conditions applied."""
    conditions = [*query.conditions, *extra]
    where, values = _where(conditions)
    page_where = where
    page_values = list(values)
    if query.after is not None:
        page_where = sql.SQL("({}) AND {} > %s").format(where, sql.Identifier(ROW_ID))
        page_values.append(query.after)
    order = [
        sql.SQL("{} {}").format(sql.Identifier(column), sql.SQL("DESC NULLS LAST" if descending else "ASC NULLS LAST"))
        for column, descending in query.sort
    ]
    order.append(sql.Identifier(ROW_ID))
    columns = sql.SQL(", ").join([sql.Identifier(ROW_ID), *(sql.Identifier(field) for field in query.fields)])
    table_name = sql.Identifier(table.resource_id)
    select = sql.SQL("SELECT {} FROM {} WHERE {} ORDER BY {} LIMIT %s OFFSET %s").format(
        columns, table_name, page_where, sql.SQL(", ").join(order)
    )
    count = sql.SQL("SELECT count(*) FROM {} WHERE {}").format(table_name, where)
    connection = _read_engine().raw_connection()
    try:
        cursor = connection.cursor()
        cursor.execute(select, [*page_values, query.limit, 0 if query.after is not None else query.offset])
        rows = cursor.fetchall()
        cursor.execute(count, values)
        counted = cursor.fetchone()
        total = int(counted[0]) if counted else 0
        connection.rollback()
    finally:
        connection.close()
    records = [
        {field: _json_value(value) for field, value in zip(query.fields, row[1:], strict=True)} for row in rows
    ]
    last_id: int | None = int(rows[-1][0]) if rows else None
    return Page(
        fields=query.fields,
        records=records,
        total=total,
        limit=query.limit,
        offset=query.offset if query.after is None else 0,
        next_cursor=encode_cursor(last_id) if last_id is not None and len(rows) == query.limit and not query.sort else None,
    )
