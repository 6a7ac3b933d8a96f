"""Cells of the spreadsheets staff download (xlsx and CSV): text a user typed stays text.

``xlsx`` and ``csv_file`` write every export of the portal (ledgers, audit trail, API usage)
with such cells; ``exported`` is what an export action returns, and ``download`` the view's answer.

A spreadsheet program runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or
carriage return before one) as a formula, so an applicant's name could open links or run
commands on a reviewer's machine. Such text gets a leading apostrophe, as OWASP's CSV injection
guidance asks; the apostrophe travels with the text if the sheet is saved again. Numbers and
dates keep their type.
"""
from __future__ import annotations

import base64
import csv
import dataclasses
import io
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from flask import Response
    from openpyxl.worksheet.worksheet import Worksheet

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV_MIMETYPE = "text/csv; charset=utf-8"
FORMATS = ("xlsx", "csv")

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


@dataclasses.dataclass(frozen=True)
class Sheet:
    """One sheet of a workbook: its title, the headings of its columns and its rows."""

    title: str
    headings: Sequence[str]
    rows: Iterable[Iterable[Any]]


def xlsx(*sheets: Sheet) -> bytes:
    """A workbook of ``sheets``, each with its headings frozen above its rows."""
    from openpyxl import Workbook

    book = Workbook()
    for index, sheet in enumerate(sheets):
        worksheet = book.active if index == 0 else book.create_sheet()
        assert worksheet is not None
        worksheet.title = sheet.title
        append_row(worksheet, sheet.headings)
        for row in sheet.rows:
            append_row(worksheet, row)
        worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def csv_file(headings: Sequence[str], rows: Iterable[Iterable[Any]]) -> bytes:
    """A UTF-8 CSV file with a byte-order mark (without one, Excel misreads Chinese)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(safe_row(headings))
    for row in rows:
        writer.writerow(safe_row(row))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def ledger(
    file_format: str,
    title: str,
    items: list[dict[str, Any]],
    columns: Sequence[tuple[str, str]],
    step_columns: Sequence[tuple[str, str]],
    cell: Callable[[str, Any], Any],
) -> bytes:
    """A workflow's ledger (台账): a row per item under ``columns`` (key, heading), shown by
    ``cell(key, value)``; in xlsx a second sheet of their steps (``item["events"]``, under
    ``step_columns``, whose first column is the item's id), in CSV a last column listing them."""
    import ckan.plugins.toolkit as tk

    headings = [heading for _key, heading in columns]
    rows = [[cell(key, item.get(key)) for key, _heading in columns] for item in items]
    if file_format == "xlsx":
        id_key = step_columns[0][0]
        steps = [
            [cell(key, dict(event, **{id_key: item["id"]}).get(key)) for key, _heading in step_columns]
            for item in items for event in item["events"]
        ]
        return xlsx(Sheet(title, headings, rows), Sheet(tk._("Steps"), [heading for _key, heading in step_columns], steps))
    summaries = [
        "; ".join(
            f"{cell('created', event['created'])} {cell('action', event['action'])} {event['actor'] or ''}".strip()
            for event in item["events"]
        )
        for item in items
    ]
    return csv_file([*headings, tk._("Steps")], ([*row, summary] for row, summary in zip(rows, summaries, strict=True)))


def exported(name: str, file_format: str, content: bytes, count: int) -> dict[str, Any]:
    """What an export action returns: ``filename`` (``name`` and the format's extension),
    ``mimetype``, ``count`` (of the records) and the file as ``content_base64``."""
    return {
        "filename": f"{name}.{file_format}",
        "mimetype": XLSX_MIMETYPE if file_format == "xlsx" else CSV_MIMETYPE,
        "count": count,
        "content_base64": base64.b64encode(content).decode("ascii"),
    }


def download(export: dict[str, Any]) -> Response:
    """The view's answer to an export action's result: the file, as an attachment."""
    from flask import send_file

    return send_file(io.BytesIO(base64.b64decode(export["content_base64"])), mimetype=export["mimetype"],
                     as_attachment=True, download_name=export["filename"])
