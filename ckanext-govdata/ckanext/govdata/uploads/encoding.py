"""Uploaded CSV in GB18030 (GBK): what Excel on Chinese Windows saves as "CSV".

xloader decodes a file by chardet's guess, taken only when it is confident; on Chinese text chardet
says GB18030 with a confidence of about 0.2, so xloader falls back to cp1252 and the table fills
with mojibake while the job reports success. Such files are stored as UTF-8 instead, with a byte
order mark so that Excel still opens the download as Chinese; xloader reads that mark.
"""
from __future__ import annotations

import codecs
import os
import re
import tempfile
from typing import IO, Any

TEXT_TABLE_FORMATS = {"csv", "tsv", "txt"}
CHUNK = 1 << 20
# Larger transcoded files go to a temporary file rather than memory.
IN_MEMORY = 8 << 20


# Control characters that text tables do not hold (tab, line feed and carriage return are fine).
BINARY = re.compile(rb"[\x00-\x08\x0b\x0c\x0e-\x1f]")


def is_text_table(resource: dict[str, Any], filename: str) -> bool:
    """A CSV or TSV by its file name, or by its format when the name has no extension."""
    extension = os.path.splitext(filename)[1].lstrip(".").lower()
    if extension:
        return extension in TEXT_TABLE_FORMATS
    return str(resource.get("format") or "").lower() in TEXT_TABLE_FORMATS


def decodes(stream: IO[bytes], encoding: str) -> bool:
    """Whether the whole stream is text valid in the encoding (read in chunks, rewound after).
    Most byte pairs are valid GB18030, so binary content is refused by its control characters."""
    decoder = codecs.getincrementaldecoder(encoding)()
    stream.seek(0)
    try:
        while chunk := stream.read(CHUNK):
            if BINARY.search(chunk):
                return False
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    finally:
        stream.seek(0)
    return True


def utf8_copy(stream: IO[bytes]) -> IO[bytes] | None:
    """A UTF-8 copy (with a byte order mark) of a GB18030 stream; None when the stream is UTF-8
    already, or not GB18030 either (then it is left for xloader to guess)."""
    if decodes(stream, "utf-8") or not decodes(stream, "gb18030"):
        return None
    decoder = codecs.getincrementaldecoder("gb18030")()
    # Handed to CKAN's uploader as the upload's stream, which it reads and closes.
    copy = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115
    copy.write(codecs.BOM_UTF8)
    while chunk := stream.read(CHUNK):
        copy.write(decoder.decode(chunk).encode("utf-8"))
    copy.write(decoder.decode(b"", final=True).encode("utf-8"))
    stream.seek(0)
    copy.seek(0)
    return copy
