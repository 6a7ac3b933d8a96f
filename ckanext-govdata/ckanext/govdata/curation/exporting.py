"""Writing the open directory as a spreadsheet: the whole directory or one department's or
domain's part, the empty template with its drop-down lists, and the rows an import handed back.

All three share the layout of ``layout``, so an exported file imports again unchanged.
"""
from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from typing import Any

import ckan.plugins.toolkit as tk
from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ckanext.govdata import spreadsheets
from ckanext.govdata.curation import layout, review
from ckanext.govdata.curation.checking import Checked, Problem
from ckanext.govdata.curation.layout import Column, Lookups
from ckanext.govdata.messages import bilingual

SEARCH_ROWS = 1000
# Rows of the template (and beyond an export's last row) that offer the drop-down lists.
LIST_ROWS = 2000
REQUIRED_FONT = Font(bold=True, color="C00000")
HEADER_FONT = Font(bold=True)
PROBLEM_FILL = PatternFill("solid", fgColor="FFC7CE")


def packages(context: dict[str, Any], department: str | None = None, domain: str | None = None) -> Iterator[dict[str, Any]]:
    """The entries ``context``'s user may see (staff: their drafts too), by resource code."""
    filters = [review.CATALOGUE_FILTER]
    if department:
        filters.append(f'+organization:"{department}"')
    if domain:
        filters.append(f'+domain:"{domain}"')
    start = 0
    while True:
        found = tk.get_action("package_search")(dict(context), {
            "fq": " ".join(filters), "rows": SEARCH_ROWS, "start": start, "sort": "name asc",
            "include_private": True, "include_drafts": True,
        })
        yield from found["results"]
        start += SEARCH_ROWS
        if start >= found["count"]:
            return


def entry_row(package: dict[str, Any], lookups: Lookups) -> list[Any]:
    return [column.write(layout.stored_value(package, column), lookups) for column in layout.layout().entries]


def item_rows(package: dict[str, Any], lookups: Lookups) -> Iterator[list[Any]]:
    key, *columns = layout.layout().items
    for item in package.get(layout.ITEMS_FIELD) or []:
        yield [key.write(package.get(layout.KEY_FIELD), lookups), *(column.write(item.get(column.field), lookups)
                                                                   for column in columns)]


def xlsx(packages: Iterable[dict[str, Any]], lookups: Lookups) -> bytes:
    """The directory workbook of ``packages``; of none, the empty template."""
    book = Workbook()
    entries = book.active
    entries.title = layout.ENTRIES_SHEET
    items = book.create_sheet(layout.ITEMS_SHEET)
    current = layout.layout()
    _header(entries, current.entries)
    _header(items, current.items)
    for package in packages:
        spreadsheets.append_row(entries, entry_row(package, lookups))
        for row in item_rows(package, lookups):
            spreadsheets.append_row(items, row)
    _choice_lists(book, entries, current.entries, lookups)
    _choice_lists(book, items, current.items, lookups)
    return _saved(book)


def csv_text(packages: Iterable[dict[str, Any]], lookups: Lookups, sheet: str = "entries") -> str:
    """One sheet as CSV (with the BOM Excel needs to read UTF-8)."""
    current = layout.layout()
    columns = current.entries if sheet == "entries" else current.items
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out)
    writer.writerow([column.header for column in columns])
    for package in packages:
        rows = [entry_row(package, lookups)] if sheet == "entries" else list(item_rows(package, lookups))
        for row in rows:
            writer.writerow(spreadsheets.safe_row("" if value is None else value for value in row))
    return out.getvalue()


def returned(checked: Checked, problems: list[Problem]) -> bytes:
    """The rows an import left out, in the template's layout, each problem cell marked and
    explained, to fix and upload again."""
    book = Workbook()
    entries = book.active
    entries.title = layout.ENTRIES_SHEET
    items = book.create_sheet(layout.ITEMS_SHEET)
    current = layout.layout()
    by_row: dict[tuple[str, int], list[Problem]] = {}
    for found in problems:
        by_row.setdefault((found.sheet, found.row), []).append(found)
    _header(entries, current.entries, extra=layout.problems_header())
    _header(items, current.items, extra=layout.problems_header())
    for entry in checked.entries:
        own = by_row.get((checked.entries_sheet, entry.row), [])
        item_problems = [found for item in entry.items for found in by_row.get((checked.items_sheet, item.row), [])]
        if not own and not item_problems:
            continue
        cells = [entry.cells.get(column.header) for column in current.entries]
        _marked_row(entries, current.entries, cells, own)
        for item in entry.items:
            item_cells = [entry.identifier, *(item.cells.get(column.header) for column in current.items[1:])]
            _marked_row(items, current.items, item_cells, by_row.get((checked.items_sheet, item.row), []))
    _choice_lists(book, entries, current.entries, Lookups.load())
    return _saved(book)


def _marked_row(sheet: Worksheet, columns: tuple[Column, ...], cells: list[Any], problems: list[Problem]) -> None:
    spreadsheets.append_row(sheet, [*cells, "\n".join(found.message for found in problems) or None])
    row = sheet.max_row
    positions = {column.header: index for index, column in enumerate(columns, start=1)}
    for found in problems:
        cell = sheet.cell(row=row, column=positions.get(found.column, len(columns) + 1))
        cell.fill = PROBLEM_FILL
        cell.comment = Comment(found.message, "govdata")


def _header(sheet: Worksheet, columns: tuple[Column, ...], extra: str | None = None) -> None:
    spreadsheets.append_row(sheet, [column.header for column in columns] + ([extra] if extra else []))
    for index, column in enumerate(columns, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = REQUIRED_FONT if column.required else HEADER_FONT
        cell.comment = Comment(column.label[1] + (" (required)" if column.required else ""), "govdata")
        sheet.column_dimensions[get_column_letter(index)].width = max(10, 2 * len(column.header) + 4)
    sheet.freeze_panes = "A2"


def _choice_lists(book: Workbook, sheet: Worksheet, columns: tuple[Column, ...], lookups: Lookups) -> None:
    """Drop-down lists on the choice columns, their values on the hidden choices sheet."""
    if layout.CHOICES_SHEET in book.sheetnames:
        choices = book[layout.CHOICES_SHEET]
    else:
        choices = book.create_sheet(layout.CHOICES_SHEET)
        choices.sheet_state = "hidden"
    last = max(sheet.max_row, 1) + LIST_ROWS
    for index, column in enumerate(columns, start=1):
        values = column.choices(lookups)
        if not values or column.kind == "choices":
            continue
        list_column = choices.max_column + 1 if choices.max_row > 1 or choices.cell(1, 1).value else 1
        choices.cell(row=1, column=list_column, value=column.header)
        for offset, value in enumerate(values, start=2):
            choices.cell(row=offset, column=list_column, value=spreadsheets.safe_cell(value))
        letter = get_column_letter(list_column)
        validation = DataValidation(
            type="list", formula1=f"'{layout.CHOICES_SHEET}'!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True, showErrorMessage=True, errorStyle="warning",
            error=bilingual("Choose from the list: {field}", field=column.label),
        )
        sheet.add_data_validation(validation)
        letter_in_sheet = get_column_letter(index)
        validation.add(f"{letter_in_sheet}2:{letter_in_sheet}{last}")


def _saved(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
