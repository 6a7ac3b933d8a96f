"""Uploaded documents (request attachments, contest rules): is the file what its name says?

The extension must be one the caller accepts, the size within its limit, and the bytes must be
of that type: a renamed executable is refused, whatever its name. Callers turn ``Rejected``
into a ``ValidationError`` naming their own field.
"""
from __future__ import annotations

import os
import zipfile
from typing import IO, Any

import magic
from werkzeug.datastructures import FileStorage

# The content each extension promises, as libmagic names it.
MIMETYPES = {
    "pdf": "application/pdf",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
# A .docx is a zip archive; libmagic may name it only that, so its parts are looked at too.
DOCX_PARTS = ("[Content_Types].xml", "word/document.xml")


class Rejected(Exception):
    """Why an upload is refused: an English msgid and its parameters (``types``, ``limit``, ``name``, ``extension``)."""

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params


def uploads(value: Any) -> list[FileStorage]:
    """The uploaded files in a data dict value (one file, a list, or nothing)."""
    items = value if isinstance(value, list) else [value]
    return [item for item in items if isinstance(item, FileStorage) and item.filename]


def _size(stream: IO[bytes]) -> int:
    stream.seek(0, os.SEEK_END)
    size = stream.tell()
    stream.seek(0)
    return size


def _is_docx(stream: IO[bytes]) -> bool:
    try:
        with zipfile.ZipFile(stream) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        return False
    finally:
        stream.seek(0)
    return all(part in names for part in DOCX_PARTS)


def _content_type(stream: IO[bytes], extension: str) -> str:
    sniffed = magic.from_buffer(stream.read(4096), mime=True)
    stream.seek(0)
    if extension == "docx" and sniffed in (MIMETYPES["docx"], "application/zip") and _is_docx(stream):
        return MIMETYPES["docx"]
    return sniffed


def check(upload: FileStorage, allowed: list[str], limit: int) -> dict[str, Any]:
    """Name, size, type and extension of an upload whose content matches one of ``allowed``."""
    name = os.path.basename(upload.filename or "")
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    allowed = [item.lower() for item in allowed]
    if extension not in allowed or extension not in MIMETYPES:
        raise Rejected("{field}: only these file types are accepted: {types}", types=", ".join(allowed))
    size = _size(upload.stream)
    if size == 0 or size > limit:
        raise Rejected("{field}: each file must be between 1 byte and {limit} bytes", limit=limit)
    mimetype = _content_type(upload.stream, extension)
    if mimetype != MIMETYPES[extension]:
        raise Rejected("{field}: the content of {name} is not a {extension} file", name=name, extension=extension)
    return {"name": name, "size": size, "mimetype": mimetype, "extension": extension}
