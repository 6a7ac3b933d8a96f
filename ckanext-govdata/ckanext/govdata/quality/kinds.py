"""The kinds of quality rule, as data: each names its dimension, what it needs, and the SQL
condition under which a row of a datastore table fails it.

Conditions are SQL text over quoted identifiers (``identifier``) and bound parameters (``Binds``):
no column name, pattern or code of a rule is ever spliced into SQL as text. Empty values pass
every kind but ``required``: completeness is one rule, format another.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

DIMENSIONS = ("completeness", "accuracy", "normativity", "consistency", "uniqueness", "relatedness")

# The unified social credit code (GB 32100-2015): 18 characters of this alphabet, the last a
# check character: 31 - (Σ value × 3^i mod 31) mod 31 over the first 17.
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_PATTERN = "^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$"
# The citizen ID number (GB 11643-1999): 17 digits (area, birth date, sequence) and a check
# character, '10X98765432'[Σ digit × weight mod 11].
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECKS = "10X98765432"
ID_PATTERN = "^[1-9][0-9]{5}(18|19|20)[0-9]{2}(0[1-9]|1[0-2])(0[1-9]|[12][0-9]|3[01])[0-9]{3}[0-9Xx]$"
DATE_PATTERN = "^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"
DATETIME_PATTERN = (
    "^[1-9][0-9]{3}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9](\\.[0-9]+)?)?)?$"
)
# Mobile numbers, and fixed lines with their area code (0571-88888888), as published in China.
PHONE_PATTERN = "^(1[3-9][0-9]{9}|0[1-9][0-9]{1,2}-?[0-9]{7,8})$"
EMAIL_PATTERN = "^[^@[:space:]]+@[^@[:space:]]+\\.[^@[:space:]]+$"
POSTCODE_PATTERN = "^[1-9][0-9]{5}$"
TYPE_PATTERNS = {
    "integer": "^[+-]?[0-9]+$",
    "decimal": "^[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?$",
    "boolean": "^(true|false|t|f|yes|no|y|n|1|0|是|否)$",
    "datetime": DATETIME_PATTERN,
}
FORMATS = ("date", "credit_code", "id_number", "phone", "email", "postcode")
TYPES = ("integer", "decimal", "date", "datetime", "boolean")


class Binds:
    """The bound parameters of one query: each value gets a fresh name."""

    def __init__(self) -> None:
        self.values: dict[str, Any] = {}

    def __call__(self, value: Any) -> str:
        name = f"p{len(self.values)}"
        self.values[name] = value
        return f":{name}"


def quoted(name: str) -> str:
    """A quoted SQL identifier (PostgreSQL's rules: double quotes, doubled inside)."""
    if "\x00" in name:
        raise ValueError("identifier with a NUL character")
    return '"' + name.replace('"', '""') + '"'


def identifier(name: str) -> str:
    """A quoted identifier for SQLAlchemy's ``text()``, where a colon would start a bound
    parameter even inside quotes: colons are escaped."""
    return quoted(name).replace(":", "\\:")


def _text(column: str) -> str:
    return f"btrim({identifier(column)}::text)"


def _present(column: str) -> str:
    return f"({identifier(column)} IS NOT NULL AND {_text(column)} <> '')"


def _matches(value: str, binds: Binds, pattern: str) -> str:
    return f"({value} ~ {binds(pattern)})"


def _valid_date(value: str, binds: Binds) -> str:
    """A real calendar date, YYYY-MM-DD (no 2026-02-30): the day within the month's length,
    computed from the month's first day so that nothing raises on bad input."""
    return (
        f"(CASE WHEN {_matches(value, binds, DATE_PATTERN)} THEN substr({value}, 9, 2)::int <= "
        f"extract(day from make_date(substr({value}, 1, 4)::int, substr({value}, 6, 2)::int, 1)"
        f" + interval '1 month' - interval '1 day') ELSE false END)"
    )


def _credit_code(value: str, binds: Binds) -> str:
    alphabet = binds(CREDIT_ALPHABET)
    upper = f"upper({value})"
    total = " + ".join(
        f"(strpos({alphabet}, substr({upper}, {position}, 1)) - 1) * {weight}"
        for position, weight in enumerate(CREDIT_WEIGHTS, start=1)
    )
    return (
        f"(CASE WHEN {_matches(upper, binds, CREDIT_PATTERN)} THEN "
        f"(31 - ({total}) % 31) % 31 = strpos({alphabet}, substr({upper}, 18, 1)) - 1 ELSE false END)"
    )


def _id_number(value: str, binds: Binds) -> str:
    total = " + ".join(
        f"substr({value}, {position}, 1)::int * {weight}" for position, weight in enumerate(ID_WEIGHTS, start=1)
    )
    birth = f"substr({value}, 7, 4) || '-' || substr({value}, 11, 2) || '-' || substr({value}, 13, 2)"
    return (
        f"(CASE WHEN {_matches(value, binds, ID_PATTERN)} THEN "
        f"substr({binds(ID_CHECKS)}, ({total}) % 11 + 1, 1) = upper(substr({value}, 18, 1)) "
        f"AND {_valid_date(birth, binds)} ELSE false END)"
    )


def _valid_format(format_: str, value: str, binds: Binds) -> str:
    if format_ == "date":
        return _valid_date(value, binds)
    if format_ == "credit_code":
        return _credit_code(value, binds)
    if format_ == "id_number":
        return _id_number(value, binds)
    pattern = {"phone": PHONE_PATTERN, "email": EMAIL_PATTERN, "postcode": POSTCODE_PATTERN}[format_]
    return _matches(value, binds, pattern)


def _valid_type(type_: str, value: str, binds: Binds) -> str:
    if type_ == "date":
        return _valid_date(value, binds)
    if type_ == "boolean":
        return _matches(f"lower({value})", binds, TYPE_PATTERNS[type_])
    return _matches(value, binds, TYPE_PATTERNS[type_])


@dataclasses.dataclass(frozen=True)
class Check:
    """What a rule compiles to: the condition of a failing row, and for a key rule the columns
    whose duplicates a window count (``duplicates``, named by the compiler) must find."""

    failing: str
    partition: tuple[str, ...] = ()


# A condition builder: (columns, params, binds, name of the window count or None) → Check.
Builder = Callable[[list[str], dict[str, Any], Binds, str], Check]


def _required(columns: list[str], params: dict[str, Any], binds: Binds, window: str) -> Check:
    return Check(f"NOT {_present(columns[0])}")


def _type(columns: list[str], params: dict[str, Any], binds: Binds, window: str) -> Check:
    column = columns[0]
    return Check(f"({_present(column)} AND NOT {_valid_type(params['type'], _text(column), binds)})")


def _format(columns: list[str], params: dict[str, Any], binds: Binds, window: str) -> Check:
    column = columns[0]
    return Check(f"({_present(column)} AND NOT {_valid_format(params['format'], _text(column), binds)})")


def _pattern(columns: list[str], params: dict[str, Any], binds: Binds, window: str) -> Check:
    column = columns[0]
    return Check(f"({_present(column)} AND NOT {_matches(_text(column), binds, params['pattern'])})")


def _code_list(columns: list[str], params: dict[str, Any], binds: Binds, window: str) -> Check:
    column = columns[0]
    return Check(f"({_present(column)} AND NOT ({_text(column)} = ANY(CAST({binds(params['codes'])} AS text[]))))")


def _unique(columns: list[str], params: dict[str, Any], binds: Binds, window: str) -> Check:
    all_present = " AND ".join(_present(column) for column in columns)
    return Check(f"({all_present} AND {identifier(window)} > 1)", partition=tuple(columns))


def _reference(columns: list[str], params: dict[str, Any], binds: Binds, window: str) -> Check:
    column, target, target_column = columns[0], params["resource_id"], params["column"]
    keys = f"SELECT btrim({identifier(target_column)}::text) FROM {identifier(target)} WHERE {identifier(target_column)} IS NOT NULL"
    return Check(f"({_present(column)} AND NOT ({_text(column)} IN ({keys})))")


@dataclasses.dataclass(frozen=True)
class Kind:
    name: str
    dimension: str
    # How many columns the rule names: 1, or at least 1 (a composite key), or 0 (the table).
    columns: str
    builder: Builder | None


KINDS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        Kind("required", "completeness", "one", _required),
        Kind("type", "accuracy", "one", _type),
        Kind("format", "normativity", "one", _format),
        Kind("pattern", "normativity", "one", _pattern),
        Kind("code_list", "consistency", "one", _code_list),
        Kind("unique", "uniqueness", "many", _unique),
        Kind("reference", "relatedness", "one", _reference),
        # The metadata's record count against the table's rows: counted, not a row condition.
        Kind("record_count", "consistency", "none", None),
    )
}
