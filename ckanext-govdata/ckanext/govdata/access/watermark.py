"""Watermarks on downloads of sensitive data (grade 3 and up by default): who took it, under which grant.

A grantee's download of data whose security grade ``validators.grades.watermarked`` names carries
the grantee's user name, the grant's id and the day:

* CSV and TSV (uploaded files and datastore dumps) get one more column, ``_watermark``, holding
  the mark on every row. A leading ``# …`` line or a note above the header would break the
  many readers that expect the header first (pandas, Excel's import, csvkit, the datastore's own
  loader); an extra column keeps the file a plain table any reader takes, and every row carries
  the mark, so an extract copied out of the file still names its source. The file is rewritten
  as it streams, in its own encoding (UTF-8, or GB 18030 when it is not UTF-8).
* xlsx files get the same column on every sheet, the mark as the workbook's description and
  keywords, and as the printed page header.

Other formats cannot carry a mark, so a grantee cannot download them (``markable`` is False);
the datastore API still serves the rows.
"""
from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterable, Iterator

from openpyxl import load_workbook

from ckanext.govdata import calendar
from ckanext.govdata.spreadsheets import safe_cell

COLUMN = "_watermark"
TEXT_FORMATS = {"csv": ",", "tsv": "\t"}
XLSX = "xlsx"
# Bytes read before deciding a text file's encoding.
SNIFF_BYTES = 64 * 1024


def mark(user_name: str, grant_id: str) -> str:
    return f"授权使用 Licensed to {user_name} | 授权编号 Grant {grant_id} | {calendar.today().isoformat()}"


def file_format(name: str | None, declared: str | None) -> str | None:
    """``csv``, ``tsv`` or ``xlsx`` from a resource's format or file name; None for anything else."""
    for candidate in ((declared or "").strip().lower(), (name or "").rsplit(".", 1)[-1].lower()):
        if candidate in TEXT_FORMATS or candidate == XLSX:
            return candidate
    return None


def _decoded_lines(chunks: Iterable[bytes]) -> tuple[str, bool, Iterator[str]]:
    """The encoding of a text file, whether it starts with a byte-order mark, and its lines as they arrive."""
    source = iter(chunks)
    head = b""
    for chunk in source:
        head += chunk
        if len(head) >= SNIFF_BYTES:
            break
    try:
        head.decode("utf-8-sig")
        encoding = "utf-8-sig"
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the end of the sniffed bytes is still UTF-8.
        encoding = "utf-8-sig" if error.start >= len(head) - 3 and error.reason == "unexpected end of data" else "gb18030"

    def lines() -> Iterator[str]:
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        pending = ""
        for chunk in _chain(head, source):
            # Split on line feeds only: a record's end is "\n" or "\r\n", whatever else a field holds.
            *complete, pending = (pending + decoder.decode(chunk)).split("\n")
            for line in complete:
                yield line + "\n"
        pending += decoder.decode(b"", final=True)
        if pending:
            yield pending

    return encoding, head.startswith(codecs.BOM_UTF8), lines()


def _chain(first: bytes, rest: Iterator[bytes]) -> Iterator[bytes]:
    if first:
        yield first
    yield from rest


def marked_text(chunks: Iterable[bytes], text: str, delimiter: str = ",") -> Iterator[bytes]:
    """A CSV or TSV file, streamed, with the ``_watermark`` column added."""
    encoding, byte_order_mark, lines = _decoded_lines(chunks)
    # The byte-order mark, if any, is written again once: Excel needs it to read UTF-8.
    output_encoding = "utf-8" if encoding == "utf-8-sig" else encoding
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    if byte_order_mark:
        buffer.write("\ufeff")
    rows = csv.reader(lines, delimiter=delimiter)
    for row in rows:
        writer.writerow([*row, COLUMN])
        break
    cell = safe_cell(text)
    for row in rows:
        row.append(cell)
        writer.writerow(row)
        # Sent in pieces of about one read's size, not row by row.
        if buffer.tell() >= SNIFF_BYTES:
            yield buffer.getvalue().encode(output_encoding, errors="replace")
            buffer.seek(0)
            buffer.truncate()
    if buffer.tell():
        yield buffer.getvalue().encode(output_encoding, errors="replace")


def marked_xlsx(content: bytes, text: str) -> bytes:
    """An xlsx workbook with the ``_watermark`` column on every sheet, the mark in its properties and page header."""
    book = load_workbook(io.BytesIO(content))
    book.properties.description = text
    book.properties.keywords = text
    for sheet in book.worksheets:
        column = sheet.max_column + 1
        for row in range(1, sheet.max_row + 1):
            sheet.cell(row=row, column=column, value=COLUMN if row == 1 else text)
        sheet.oddHeader.center.text = text
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()
