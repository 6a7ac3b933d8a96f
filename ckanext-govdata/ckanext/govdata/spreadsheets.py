"""Cells of the spreadsheets staff download (xlsx and CSV): text a user typed stays text.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return before one) as a formula, so an applicant's name could open links or run
commands on a reviewer's machine. Such text gets a leading apostrophe, as OWASP's CSV injection
guidance asks; the apostrophe travels with the text if the sheet is saved again. Numbers and
dates keep their type.
"""
from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: Any) -> Any:
    """``value`` as a spreadsheet cell that cannot be read as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def typed_cell(value: Any) -> Any:
    """What ``safe_cell`` was given, from a cell it wrote: a spreadsheet read back for import
    (the directory's) keeps ``+86 575 …`` a phone number rather than text with an apostrophe."""
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_TRIGGERS):
        return value[1:]
    return value


def safe_row(values: Iterable[Any]) -> list[Any]:
    return [safe_cell(value) for value in values]


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    """Append a row to an xlsx sheet; every string is stored as text, never as a formula or an
    error code (openpyxl would otherwise guess from the string's first character)."""
    sheet.append(safe_row(values))
    for cell in sheet[sheet.max_row]:
        if isinstance(cell.value, str):
            cell.data_type = "s"
