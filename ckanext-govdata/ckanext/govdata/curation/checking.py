"""A directory spreadsheet's rows as catalogue entries, and every cell that cannot be one.

This stage reads cells only (headers, vocabulary labels, numbers, dates, departments, resource
codes repeated within the file); what the schemas and the permissions say about an entry is
``importing``'s stage.
"""
from __future__ import annotations

import dataclasses
from typing import Any

from ckanext.govdata.curation import layout, reading
from ckanext.govdata.curation.layout import Column, Lookups
from ckanext.govdata.messages import bilingual
from ckanext.govdata.validators import rules


@dataclasses.dataclass(frozen=True)
class Problem:
    sheet: str
    row: int
    column: str
    value: Any
    message: str

    def as_dict(self) -> dict[str, Any]:
        value = self.value if isinstance(self.value, int | float | str) or self.value is None else str(self.value)
        return {"sheet": self.sheet, "row": self.row, "column": self.column, "value": value, "message": self.message}


@dataclasses.dataclass
class Item:
    row: int
    values: dict[str, Any]
    # The raw cells by header, to hand rows back for fixing.
    cells: dict[str, Any]


@dataclasses.dataclass
class Entry:
    row: int
    identifier: str
    # Field → value of the columns the sheet has (None: an empty cell).
    values: dict[str, Any]
    # The raw cells by header, to hand rows back for fixing.
    cells: dict[str, Any]
    items: list[Item] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class Checked:
    entries: list[Entry]
    problems: list[Problem]
    # The columns the entries sheet has; an import changes those fields only.
    columns: list[Column]
    # Whether the file has an items sheet: its items then replace each entry's data items.
    has_items: bool
    entries_sheet: str
    items_sheet: str


def problem(sheet: str, row: int, column: Column | str, cell: Any, msgid: str, **params: Any) -> Problem:
    """A problem of one cell; the message's ``{value}`` is the cell unless ``params`` say otherwise."""
    label = column.label if isinstance(column, Column) else (column, column)
    header = column.header if isinstance(column, Column) else column
    return Problem(sheet, row, header, cell, bilingual(msgid, field=label, **{"value": cell, **params}))


def _columns(
    sheet: reading.Sheet, expected: tuple[Column, ...], needed: tuple[str, ...], problems: list[Problem]
) -> list[Column | None]:
    """The layout column of each of the sheet's columns (None: left out); problems for unknown
    and repeated headers and for missing ``needed`` ones. Other columns may be left out: an
    import then leaves those fields as they are."""
    by_name = {name: column for column in expected for name in reading.header_names(column)}
    found: list[Column | None] = []
    seen: set[str] = set()
    skipped = reading.normal_header(layout.problems_header())
    for header in sheet.headers:
        name = reading.normal_header(header)
        column = by_name.get(name)
        if not header or name == skipped:
            found.append(None)
        elif column is None:
            problems.append(problem(sheet.name, 1, header, header, "Unknown column: {value}"))
            found.append(None)
        elif column.field in seen:
            problems.append(problem(sheet.name, 1, column, header, "Column {field} appears twice"))
            found.append(None)
        else:
            seen.add(column.field)
            found.append(column)
    for column in expected:
        if column.field in needed and column.field not in seen:
            problems.append(problem(sheet.name, 1, column, None, "Column {field} is missing"))
    return found


def _read_row(
    sheet: reading.Sheet, number: int, cells: list[Any], columns: list[Column | None], lookups: Lookups,
    problems: list[Problem],
) -> tuple[dict[str, Any], dict[str, Any]]:
    values: dict[str, Any] = {}
    raw: dict[str, Any] = {}
    for position, column in enumerate(columns):
        if column is None:
            continue
        cell = cells[position] if position < len(cells) else None
        raw[column.header] = cell
        try:
            values[column.field] = column.read(cell, lookups)
        except rules.RuleError as refused:
            problems.append(problem(sheet.name, number, column, cell, refused.msgid, **refused.params))
    return values, raw


def check(book: reading.Workbook, lookups: Lookups) -> Checked:
    current = layout.layout()
    problems: list[Problem] = []
    entry_columns: list[Column] = []
    # The entries by resource code, in the sheet's order.
    by_code: dict[str, Entry] = {}
    entries_sheet = book.entries.name if book.entries else layout.ENTRIES_SHEET
    items_sheet = book.items.name if book.items else layout.ITEMS_SHEET
    key = current.entries[0]
    if book.entries is not None:
        columns = _columns(book.entries, current.entries, (layout.KEY_FIELD,), problems)
        entry_columns = [column for column in columns if column is not None]
        for number, cells in book.entries.rows:
            values, raw = _read_row(book.entries, number, cells, columns, lookups, problems)
            code = values.get(layout.KEY_FIELD)
            if not code:
                if layout.KEY_FIELD in values:
                    problems.append(problem(entries_sheet, number, key, None, "Missing value: {field}"))
                continue
            if code in by_code:
                problems.append(problem(
                    entries_sheet, number, key, code, "Resource code {value} is already on row {first}",
                    first=by_code[code].row,
                ))
                continue
            by_code[code] = Entry(number, code, values, raw)
    if book.items is not None:
        columns = _columns(book.items, current.items, (layout.KEY_FIELD, "name"), problems)
        for number, cells in book.items.rows:
            values, raw = _read_row(book.items, number, cells, columns, lookups, problems)
            code = values.pop(layout.KEY_FIELD, None)
            if not code:
                problems.append(problem(items_sheet, number, key, None, "Missing value: {field}"))
            elif code not in by_code:
                problems.append(problem(
                    items_sheet, number, key, code, "No entry with resource code {value} on sheet {entries}",
                    entries=entries_sheet,
                ))
            else:
                by_code[code].items.append(Item(number, values, raw))
    return Checked(list(by_code.values()), problems, entry_columns, book.items is not None, entries_sheet, items_sheet)
