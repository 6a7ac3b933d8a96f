"""Uploaded pictures (showcase screenshots, scenario images): checked, re-encoded, thumbnailed.

Every image is decoded with Pillow and written out again, so what is served is a clean bitmap of
an allowed format, without the uploader's metadata (EXIF positions) or anything smuggled after
the image data. Files are kept in the ``govdata_showcase`` storage (see
:mod:`ckanext.govdata.storage`) under generated names; views serve them only to people who may see
what they illustrate.
"""
from __future__ import annotations

import dataclasses
import io
import re
import uuid
from typing import IO, Any

import ckan.plugins.toolkit as tk
from PIL import Image, ImageOps, UnidentifiedImageError

from ckanext.govdata import documents, storage
from ckanext.govdata.messages import bilingual

# Pillow format -> file extension and media type of the stored original.
FORMATS = {
    "PNG": ("png", "image/png"),
    "JPEG": ("jpg", "image/jpeg"),
    "WEBP": ("webp", "image/webp"),
}
THUMBNAIL_FORMAT = "JPEG"
FILE_NAME = re.compile(r"^[0-9a-f]{32}(\.thumb)?\.(png|jpg|webp)$")
MEDIA_TYPES = dict(FORMATS.values())
STORE = storage.Store("govdata_showcase")


class ImageRejected(ValueError):
    """The upload is not an acceptable image; the message is bilingual."""


@dataclasses.dataclass(frozen=True)
class StoredImage:
    file: str
    thumbnail: str
    width: int
    height: int
    format: str
    size: int

    def as_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


def _limit(name: str) -> int:
    return int(tk.config.get(f"ckanext.govdata.showcase.{name}"))


uploads = documents.uploads


def _read(upload: Any) -> bytes:
    limit = _limit("image_max_bytes")
    upload.stream.seek(0)
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        raise ImageRejected(
            bilingual("The image {name} is larger than {limit} MB", name=upload.filename, limit=round(limit / 1048576, 1))
        )
    return data


def _decode(data: bytes, name: str) -> Image.Image:
    try:
        with Image.open(io.BytesIO(data)) as probe:
            image_format = probe.format
            width, height = probe.size
            if image_format not in FORMATS:
                raise ImageRejected(
                    bilingual("The file {name} is not a PNG, JPEG or WebP image", name=name)
                )
            _check_dimensions(width, height, name)
            probe.verify()
        # verify() leaves the image unusable: decode a fresh one, which also catches truncation.
        image = Image.open(io.BytesIO(data))
        image.load()
    except ImageRejected:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise ImageRejected(bilingual("The file {name} is not a readable image", name=name)) from None
    return image


def _check_dimensions(width: int, height: int, name: str) -> None:
    min_width, min_height, max_side = _limit("image_min_width"), _limit("image_min_height"), _limit("image_max_side")
    if width < min_width or height < min_height:
        raise ImageRejected(
            bilingual(
                "The image {name} is {width}×{height} pixels; it must be at least {min_width}×{min_height}",
                name=name, width=width, height=height, min_width=min_width, min_height=min_height,
            )
        )
    if max(width, height) > max_side:
        raise ImageRejected(
            bilingual(
                "The image {name} is {width}×{height} pixels; no side may exceed {max_side}",
                name=name, width=width, height=height, max_side=max_side,
            )
        )


def _encoded(image: Image.Image, image_format: str) -> bytes:
    out = io.BytesIO()
    if image_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = _flattened(image)
    options = {"quality": 90} if image_format in ("JPEG", "WEBP") else {"optimize": True}
    image.save(out, format=image_format, **options)
    return out.getvalue()


def _flattened(image: Image.Image) -> Image.Image:
    """Transparent pixels on white, as thumbnails are JPEG."""
    rgba = image.convert("RGBA")
    background = Image.new("RGB", rgba.size, (255, 255, 255))
    background.paste(rgba, mask=rgba.getchannel("A"))
    return background


def _thumbnail(image: Image.Image) -> bytes:
    width = _limit("thumbnail_width")
    height = max(1, round(image.height * width / image.width))
    small = ImageOps.contain(image, (width, height)) if image.width > width else image.copy()
    return _encoded(_flattened(small), THUMBNAIL_FORMAT)


def check(upload: Any) -> Image.Image:
    """The decoded image, or :class:`ImageRejected` saying what is wrong with the upload."""
    return _decode(_read(upload), upload.filename)


def store(upload: Any) -> StoredImage:
    """Checks ``upload`` and writes the clean image and its thumbnail to storage."""
    image = check(upload)
    image_format = image.format or "PNG"
    extension = FORMATS[image_format][0]
    stem = uuid.uuid4().hex
    original = _encoded(image, image_format)
    stored = StoredImage(
        file=f"{stem}.{extension}",
        thumbnail=f"{stem}.thumb.jpg",
        width=image.width,
        height=image.height,
        format=image_format,
        size=len(original),
    )
    try:
        STORE.put(stored.file, original)
        STORE.put(stored.thumbnail, _thumbnail(image))
    except storage.StorageUnavailable:
        raise ImageRejected(bilingual("File storage is not configured")) from None
    return stored


def open(file_name: str) -> IO[bytes] | None:
    """A stored image to read, or None for a name we never generated or a missing file."""
    if not FILE_NAME.match(file_name or ""):
        return None
    return STORE.open(file_name)


def media_type(file_name: str) -> str:
    return MEDIA_TYPES[file_name.rsplit(".", 1)[-1]]


def delete(image: dict[str, Any]) -> None:
    for name in (image.get("file"), image.get("thumbnail")):
        if name and FILE_NAME.match(name):
            STORE.delete(name)
