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
# The citizen ID number (GB 11643-1999): 17 digits (area, birth date, sequence) and a check
# character, '10X98765432'[Σ digit × weight mod 11].
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECKS = "10X98765432"
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


TEXT_PREFIX = "__text_"


def text_alias(column: str) -> str:
    """The name under which the compiler projects a column's trimmed text once per row (the
    conditions read it many times; PostgreSQL would compute the expression at each)."""
    return TEXT_PREFIX + column


def text_of(column: str) -> str:
    """The projection of a column's trimmed text, named ``text_alias(column)``."""
    return f"btrim({identifier(column)}::text) AS {identifier(text_alias(column))}"


def _text(column: str) -> str:
    return identifier(text_alias(column))


def present(column: str) -> str:
    return f"({_text(column)} IS NOT NULL AND {_text(column)} <> '')"


def _matches(value: str, binds: Binds, pattern: str) -> str:
    return f"({value} ~ {binds(pattern)})"


DIGITS = "0123456789"


def _digits(text: str, binds: Binds) -> str:
    """Whether ``text`` is all digits (and not empty); ``translate`` costs far less than a regex."""
    return f"({text} <> '' AND translate({text}, {binds(DIGITS)}, '') = '')"


BYTES_PREFIX = "__bytes_"


def bytes_alias(column: str) -> str:
    """The name under which the compiler projects a column's trimmed text as UTF-8 bytes, for
    the check-digit and calendar rules: ``get_byte`` reads a character's code without the copy
    that each ``substr`` makes (three times faster on an ID number)."""
    return BYTES_PREFIX + column


def bytes_of(column: str) -> str:
    """The projection of a column's trimmed text as bytes, named ``bytes_alias(column)``."""
    return f"convert_to(btrim({identifier(column)}::text), 'UTF8') AS {identifier(bytes_alias(column))}"


def _byte(column: str, index: int) -> str:
    """The code of the character at 0-based ``index`` (an ASCII character: callers check first)."""
    return f"get_byte({identifier(bytes_alias(column))}, {index})"


def _number(column: str, start: int, digits: int) -> str:
    """The number written by ``digits`` ASCII digits from 0-based ``start``."""
    terms = [f"{_byte(column, start + offset)} * {10 ** (digits - 1 - offset)}" for offset in range(digits)]
    return f"({' + '.join(terms)} - {48 * int('1' * digits)})"


# Days in each month (index 1-12) of a common year, as a byte table.
MONTH_DAYS = bytes([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])


def _valid_date(column: str, binds: Binds) -> str:
    """YYYY-MM-DD, a real calendar date (no 2026-02-30), from year 1000 on: ten characters of
    which translate leaves the two hyphens, at the 5th and 8th places."""
    value = _text(column)
    return (
        f"(CASE WHEN length({value}) = 10 AND translate({value}, {binds(DIGITS)}, '') = '--' "
        f"AND {_byte(column, 4)} = 45 AND {_byte(column, 7)} = 45 AND {_byte(column, 0)} <> 48 "
        f"THEN {_calendar_day(_number(column, 0, 4), _number(column, 5, 2), _number(column, 8, 2), binds)} ELSE false END)"
    )


def _calendar_day(year: str, month: str, day: str, binds: Binds) -> str:
    """A real calendar day from the numbers: month 1-12, day within the month's length, 29
    February in leap years only. CASE orders the tests, so that no month outside 1-12 indexes
    the table."""
    leap = f"({year} % 4 = 0 AND ({year} % 100 <> 0 OR {year} % 400 = 0))"
    return (
        f"(CASE WHEN {month} BETWEEN 1 AND 12 AND {day} >= 1 "
        f"THEN {day} <= get_byte(CAST({binds(MONTH_DAYS)} AS bytea), {month}) "
        f"OR ({month} = 2 AND {day} = 29 AND {leap}) ELSE false END)"
    )


# A character's value in the credit code alphabet, by its code point minus 48 ('0'); 255 for
# the characters between '0' and 'Z' that the alphabet leaves out (I, O, S, V, Z and punctuation).
CREDIT_VALUES = bytes(
    CREDIT_ALPHABET.index(chr(code)) if chr(code) in CREDIT_ALPHABET else 255 for code in range(48, 91)
)


def _credit_code(column: str, binds: Binds) -> str:
    """18 characters of the alphabet (upper case, as the standard writes them), the 3rd to 8th
    digits (the area code), and the check character. A character's value is read from a table
    of bytes by its code once ``translate`` has shown that all are in the alphabet (so ASCII)."""
    value = _text(column)
    values = f"CAST({binds(CREDIT_VALUES)} AS bytea)"

    def value_at(index: int) -> str:
        return f"get_byte({values}, {_byte(column, index)} - 48)"

    total = " + ".join(f"{value_at(index)} * {weight}" for index, weight in enumerate(CREDIT_WEIGHTS))
    return (
        f"(CASE WHEN length({value}) = 18 AND translate({value}, {binds(CREDIT_ALPHABET)}, '') = '' "
        f"AND {_digits(f'substr({value}, 3, 6)', binds)} "
        f"THEN (31 - ({total}) % 31) % 31 = {value_at(17)} ELSE false END)"
    )


# The check characters' codes, and the sum of the weights (the digits are read as codes, 48 too many each).
ID_CHECK_CODES = ID_CHECKS.encode()
ID_WEIGHT_SUM = sum(ID_WEIGHTS)


def _id_number(column: str, binds: Binds) -> str:
    """17 digits (area, birth date, sequence; the area not starting with 0, born 1800-2099 on a
    real day) and the check character (X in either case)."""
    value = _text(column)
    total = " + ".join(f"{_byte(column, index)} * {weight}" for index, weight in enumerate(ID_WEIGHTS)) + f" - {48 * ID_WEIGHT_SUM}"
    year = _number(column, 6, 4)
    birth = _calendar_day(year, _number(column, 10, 2), _number(column, 12, 2), binds)
    last = _byte(column, 17)
    return (
        f"(CASE WHEN length({value}) = 18 AND {_digits(f'substr({value}, 1, 17)', binds)} "
        f"AND translate(substr({value}, 18, 1), {binds(DIGITS + 'Xx')}, '') = '' "
        f"AND {_byte(column, 0)} <> 48 AND {year} BETWEEN 1800 AND 2099 "
        f"THEN get_byte(CAST({binds(ID_CHECK_CODES)} AS bytea), ({total}) % 11) = (CASE WHEN {last} = 120 THEN 88 ELSE {last} END) "
        f"AND {birth} ELSE false END)"
    )


# The formats and types whose conditions read the column's bytes.
READS_BYTES = {"date", "credit_code", "id_number"}


def _valid_format(format_: str, column: str, binds: Binds) -> str:
    if format_ == "date":
        return _valid_date(column, binds)
    if format_ == "credit_code":
        return _credit_code(column, binds)
    if format_ == "id_number":
        return _id_number(column, binds)
    pattern = {"phone": PHONE_PATTERN, "email": EMAIL_PATTERN, "postcode": POSTCODE_PATTERN}[format_]
    return _matches(_text(column), binds, pattern)


def _valid_type(type_: str, column: str, binds: Binds) -> str:
    value = _text(column)
    if type_ == "date":
        return _valid_date(column, binds)
    if type_ == "boolean":
        return _matches(f"lower({value})", binds, TYPE_PATTERNS[type_])
    return _matches(value, binds, TYPE_PATTERNS[type_])


@dataclasses.dataclass(frozen=True)
class Check:
    """What a rule compiles to: the condition of a failing row; for a key rule the columns whose
    duplicates a window count must find, for a reference the (table, column) whose keys a join
    must find, and the column joined. The compiler names the count or the joined key as the
    builder was told (``helper``)."""

    failing: str
    partition: tuple[str, ...] = ()
    reference: tuple[str, str, str] | None = None
    # The columns whose bytes the condition reads (``bytes_of``).
    reads_bytes: tuple[str, ...] = ()


# A condition builder: (columns, params, binds, name of the window count or None) → Check.
Builder = Callable[[list[str], dict[str, Any], Binds, str], Check]


def _required(columns: list[str], params: dict[str, Any], binds: Binds, window: str) -> Check:
    return Check(f"NOT {present(columns[0])}")


def _type(columns: list[str], params: dict[str, Any], binds: Binds, window: str) -> Check:
    column = columns[0]
    return Check(f"({present(column)} AND NOT {_valid_type(params['type'], column, binds)})",
                 reads_bytes=(column,) if params["type"] in READS_BYTES else ())


def _format(columns: list[str], params: dict[str, Any], binds: Binds, window: str) -> Check:
    column = columns[0]
    return Check(f"({present(column)} AND NOT {_valid_format(params['format'], column, binds)})",
                 reads_bytes=(column,) if params["format"] in READS_BYTES else ())


def _pattern(columns: list[str], params: dict[str, Any], binds: Binds, window: str) -> Check:
    column = columns[0]
    return Check(f"({present(column)} AND NOT {_matches(_text(column), binds, params['pattern'])})")


def _code_list(columns: list[str], params: dict[str, Any], binds: Binds, window: str) -> Check:
    column = columns[0]
    return Check(f"({present(column)} AND NOT ({_text(column)} = ANY(CAST({binds(params['codes'])} AS text[]))))")


def _unique(columns: list[str], params: dict[str, Any], binds: Binds, window: str) -> Check:
    all_present = " AND ".join(present(column) for column in columns)
    return Check(f"({all_present} AND {identifier(window)} > 1)", partition=tuple(columns))


def _reference(columns: list[str], params: dict[str, Any], binds: Binds, window: str) -> Check:
    """A join to the other table's distinct keys (a hash join, whatever their number: an IN
    subquery is hashed only while the keys fit in work_mem, and is quadratic after)."""
    column = columns[0]
    return Check(f"({present(column)} AND {identifier(window)} IS NULL)",
                 reference=(params["resource_id"], params["column"], column))


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
