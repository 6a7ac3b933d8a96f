"""Screenshots: only real images of the allowed formats, sizes and dimensions; thumbnails made."""
from __future__ import annotations

import io

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests.helpers import call_action
from PIL import Image
from werkzeug.datastructures import FileStorage

from ckanext.govdata.showcase import images
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _as(user: dict) -> dict:
    return {"user": user["name"], "ignore_auth": False}


def _refusal(upload, **config) -> str:
    author = factories.user()
    with pytest.raises(tk.ValidationError) as refused:
        call_action("govdata_showcase_create", _as(author), screenshot_upload=upload, **factories.showcase_fields())
    return refused.value.error_dict["screenshot_upload"][0]


def test_a_screenshot_is_stored_clean_with_a_thumbnail():
    author = factories.user()

    created = call_action(
        "govdata_showcase_create",
        _as(author),
        screenshot_upload=[factories.image_upload(1280, 720), factories.image_upload(900, 1600, "JPEG")],
        **factories.showcase_fields(),
    )

    first, second = created["screenshots"]
    assert (first["width"], first["height"], first["format"]) == (1280, 720, "PNG")
    assert (second["width"], second["height"], second["format"]) == (900, 1600, "JPEG")
    with Image.open(images.open(first["thumbnail"])) as thumbnail:
        assert thumbnail.format == "JPEG"
        assert thumbnail.size == (480, 270)
    with Image.open(images.open(first["file"])) as original:
        assert original.size == (1280, 720)


def test_files_that_are_not_images_are_refused():
    upload = FileStorage(stream=io.BytesIO(b"<html><script>alert(1)</script></html>"), filename="shot.png")

    message = _refusal(upload)

    assert "shot.png" in message and "not a readable image" in message and " / " in message


def test_other_image_formats_are_refused():
    assert "PNG, JPEG or WebP" in _refusal(factories.image_upload(800, 600, "GIF"))
    assert "PNG, JPEG or WebP" in _refusal(factories.image_upload(800, 600, "BMP"))


def test_too_small_and_too_large_dimensions_are_refused():
    assert "100×80" in _refusal(factories.image_upload(100, 80))
    assert "9000×600" in _refusal(factories.image_upload(9000, 600))


def test_files_over_the_size_limit_are_refused(ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.govdata.showcase.image_max_bytes", 2000)

    message = _refusal(factories.image_upload(800, 600, "JPEG"))

    assert "MB" in message and " / " in message


def test_a_truncated_image_is_refused():
    whole = factories.image_upload(800, 600, "JPEG").stream.read()
    upload = FileStorage(stream=io.BytesIO(whole[: len(whole) // 2]), filename="cut.jpg")

    assert "cut.jpg" in _refusal(upload)


def test_one_bad_image_leaves_nothing_behind():
    before = set(images.STORE.backend().scan())

    _refusal([factories.image_upload(), factories.image_upload(10, 10)])

    assert set(images.STORE.backend().scan()) == before


def test_too_many_screenshots_are_refused(ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.govdata.showcase.screenshots_max", 2)
    author = factories.user()
    created = call_action(
        "govdata_showcase_create", _as(author), screenshot_upload=[factories.image_upload()], **factories.showcase_fields()
    )

    with pytest.raises(tk.ValidationError) as refused:
        call_action(
            "govdata_showcase_update",
            _as(author),
            id=created["id"],
            screenshot_upload=[factories.image_upload(), factories.image_upload()],
        )

    assert "2" in refused.value.error_dict["screenshot_upload"][0]


def test_screenshots_are_removed_by_name_and_cannot_be_forged():
    author = factories.user()
    created = call_action(
        "govdata_showcase_create",
        _as(author),
        screenshot_upload=[factories.image_upload(), factories.image_upload()],
        **factories.showcase_fields(),
    )
    gone, kept = created["screenshots"]

    updated = call_action("govdata_showcase_update", _as(author), id=created["id"], screenshot_remove=gone["file"])
    forged = call_action(
        "package_patch", _as(author), id=created["id"], screenshots=[{"file": "../../who.ini", "thumbnail": "x"}]
    )

    assert [shot["file"] for shot in updated["screenshots"]] == [kept["file"]]
    assert images.open(gone["file"]) is None
    assert forged["screenshots"] == updated["screenshots"]
    with pytest.raises(tk.ValidationError):
        call_action("govdata_showcase_update", _as(author), id=created["id"], screenshot_remove="nope.png")
