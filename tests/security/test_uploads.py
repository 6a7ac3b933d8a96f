"""Hostile uploads (issue #11): traversal in file names, content that is not what its name says,
fake archives, decompression bombs. Every upload route answers a 4xx naming its field, in
Chinese and English, and writes neither rows nor files."""
from __future__ import annotations

import io
import os
import time
import zipfile
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests.helpers import call_action
from PIL import Image
from werkzeug.datastructures import FileStorage

from tests import factories
from tests.security import hostile

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00" + b"\x00" * 512


def png(width: int = 800, height: int = 600) -> bytes:
    data = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(data, format="PNG")
    return data.getvalue()


def fake_zip() -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("readme.txt", "not an office document")
    return data.getvalue()


def zip_bomb_xlsx(megabytes: int = 200) -> bytes:
    """A small xlsx whose sheet XML inflates to ``megabytes`` MB."""
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        with archive.open("xl/worksheets/sheet1.xml", "w") as sheet:
            chunk = b"<row>" + b" " * (1024 * 1024 - 11) + b"</row>"
            for _ in range(megabytes):
                sheet.write(chunk)
    return data.getvalue()


def files_under(directory: str) -> list[str]:
    return sorted(os.path.join(root, name) for root, _dirs, names in os.walk(directory) for name in names)


def _storage() -> str:
    return tk.config["ckan.storage_path"]


def _post(app: Any, action: str, actor: dict[str, Any], fields: dict[str, Any], files: dict[str, Any]) -> Any:
    data = {key: value for key, value in fields.items() if value not in ([], None)}
    data.update({name: (io.BytesIO(content), filename) for name, (content, filename) in files.items()})
    return app.post(f"/api/3/action/{action}", data=data, headers={"Authorization": actor["token"]},
                    content_type="multipart/form-data", status=None)


def refusal_problems(response: Any, field: str, before_rows: dict[str, int], before_files: list[str]) -> list[str]:
    """What is wrong with the answer to a hostile upload (nothing when it is a proper refusal)."""
    body = response.get_data(as_text=True)[:300]
    if response.status_code not in (400, 409):
        return [f"answered {response.status_code}: {body}"]
    messages = hostile.field_messages(hostile.error_of(response)).get(field)
    problems = [] if messages else [f"no message for {field}: {body}"]
    problems += [f"not bilingual: {message}" for message in messages or [] if not hostile.is_bilingual(message)]
    if hostile.changed_tables(before_rows, hostile.row_counts()):
        problems.append(f"rows written: {hostile.changed_tables(before_rows, hostile.row_counts())}")
    if files_under(_storage()) != before_files:
        problems.append("files written")
    return problems


def assert_each_refused(cases: dict[str, tuple[bytes, str]], field: str, send: Any) -> None:
    """Sends every case (one test, one database: the cases share their set-up) and reports all failures."""
    failures = {}
    for case, upload in sorted(cases.items()):
        before_rows, before_files = hostile.row_counts(), files_under(_storage())
        started = time.monotonic()
        problems = refusal_problems(send(upload), field, before_rows, before_files)
        if time.monotonic() - started > 10:
            problems.append("took more than 10 s")
        if problems:
            failures[case] = problems
    assert not failures, failures


# --- access-request attachments --------------------------------------------------------------

ATTACHMENTS = {
    "traversal without a type": (PDF, "../../etc/passwd"),
    "html named png": (HTML, "photo.png"),
    "exe named png": (EXE, "photo.png"),
    "exe named pdf": (EXE, "licence.pdf"),
    "fake zip named pdf": (fake_zip(), "licence.pdf"),
    "empty pdf": (b"", "licence.pdf"),
    "script extension": (PDF, "licence.pdf.html"),
}


@pytest.fixture
def conditional() -> dict[str, Any]:
    return factories.conditional_dataset(factories.department()["id"])


def test_a_hostile_attachment_refuses_the_whole_request(app, conditional):
    applicant = factories.user()
    fields = factories.request_fields(conditional["id"], agreement_accepted="true")

    assert_each_refused(ATTACHMENTS, "attachments", lambda upload: _post(
        app, "govdata_access_request_create", applicant, fields, {"attachments": upload}))


def test_a_traversal_file_name_is_stored_under_a_generated_name(app, conditional):
    applicant = factories.user()
    fields = factories.request_fields(conditional["id"], agreement_accepted="true")

    before = set(files_under(_storage()))

    response = _post(app, "govdata_access_request_create", applicant, fields,
                     {"attachments": (PDF, "../../../../tmp/evil.pdf")})

    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    (attachment,) = response.json["result"]["attachments"]
    assert attachment["name"] == "evil.pdf"
    request_dir = os.path.join(_storage(), "govdata_access", response.json["result"]["id"])
    assert set(files_under(_storage())) - before == {os.path.join(request_dir, f"{attachment['id']}.pdf")}


# --- contest rules documents ---------------------------------------------------------------

RULES = {
    "html named pdf": (HTML, "rules.pdf"),
    "exe named docx": (EXE, "rules.docx"),
    "fake zip named docx": (fake_zip(), "rules.docx"),
    "traversal exe": (EXE, "../../../usr/bin/rules.exe"),
    "zip bomb named docx": (zip_bomb_xlsx(20), "rules.docx"),
}


def test_a_hostile_rules_document_refuses_the_contest(app):
    admin = factories.sysadmin()
    fields = {"name": "rules-contest", "title": "规则大赛", "year": "2026", "tracks": "city|城市赛道",
              "criteria": "value|价值|100", **factories.contest_dates()}

    assert_each_refused(RULES, "rules_upload", lambda upload: _post(
        app, "govdata_contest_create", admin, fields, {"rules_upload": upload}))


# --- showcase screenshots ------------------------------------------------------------------

def _decompression_bomb() -> bytes:
    """A PNG of a few kilobytes that decodes to 400 million pixels."""
    data = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(data, format="PNG", optimize=True)
    return data.getvalue()


SCREENSHOTS = {
    "html named png": (HTML, "screen.png"),
    "exe named png": (EXE, "screen.png"),
    "fake zip named png": (fake_zip(), "screen.png"),
    "truncated png": (png()[:200], "screen.png"),
    "decompression bomb": (_decompression_bomb(), "screen.png"),
}


def test_a_hostile_screenshot_refuses_the_showcase(app):
    author = factories.user()

    assert_each_refused(SCREENSHOTS, "screenshot_upload", lambda upload: _post(
        app, "govdata_showcase_create", author, factories.showcase_fields(), {"screenshot_upload": upload}))


def test_a_screenshot_with_a_traversal_name_is_stored_under_a_generated_name(app):
    author = factories.user()

    before = set(files_under(_storage()))

    response = _post(app, "govdata_showcase_create", author, factories.showcase_fields(),
                     {"screenshot_upload": (png(), "../../../../etc/cron.d/screen.png")})

    assert response.status_code == 200, response.get_data(as_text=True)[:400]
    (shot,) = response.json["result"]["screenshots"]
    directory = os.path.join(_storage(), "govdata_showcase")
    assert set(files_under(_storage())) - before == {os.path.join(directory, shot["file"]), os.path.join(directory, shot["thumbnail"])}


# --- working-day schedule import -----------------------------------------------------------

LAUGHS = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'] + [
    f"{name}: &{name} [{','.join([f'*{previous}'] * 9)}]" for previous, name in zip("abcdefg", "bcdefgh", strict=False)
]
# A top-level mapping of aliases, and the same inside an entry whose date would be str()-ed.
BILLION_LAUGHS = "\n".join(LAUGHS).encode()
BILLION_LAUGHS_IN_AN_ENTRY = ("- " + "\n  ".join(LAUGHS) + "\n  date: *h\n  is_workday: true\n").encode()

SCHEDULES = {
    "xlsx zip bomb": (zip_bomb_xlsx(), "schedule.xlsx"),
    "xlsx zip bomb named csv": (zip_bomb_xlsx(), "schedule.csv"),
    "billion laughs": (BILLION_LAUGHS, "schedule.yaml"),
    "billion laughs in an entry": (BILLION_LAUGHS_IN_AN_ENTRY, "schedule.yaml"),
    "deeply nested yaml": (b"[" * 5000 + b"]" * 5000, "schedule.yaml"),
    "oversize csv": (b"date,is_workday,note\n" + b"2026-10-08,true," + b"x" * 2_000_000 + b"\n", "schedule.csv"),
    "huge csv field": (b"date,is_workday,note\n2026-10-08,true,\"" + b"x" * 200_000 + b"\"\n", "schedule.csv"),
    "nul byte": (b"date,is_workday,note\n2026-10-08,true,a\x00b\n", "schedule.csv"),
    "html": (HTML, "schedule.csv"),
    "exe": (EXE, "../../schedule.csv"),
}


def test_a_hostile_schedule_is_refused_quickly(app):
    admin = factories.sysadmin()

    assert_each_refused(SCHEDULES, "upload", lambda upload: _post(
        app, "govdata_workday_schedule_import", admin, {}, {"upload": upload}))


def test_two_schedules_at_once_are_refused():
    """The API's form parsing keeps one file per name; a caller in Python can pass a list."""
    admin = factories.sysadmin()
    schedule = b"date,is_workday,note\n2026-10-08,true,\n"
    uploads = [FileStorage(io.BytesIO(schedule), filename=name) for name in ("a.csv", "b.csv")]
    before_rows = hostile.row_counts()

    with pytest.raises(tk.ValidationError) as refused:
        call_action("govdata_workday_schedule_import", {"user": admin["name"]}, upload=uploads)

    assert all(hostile.is_bilingual(message) for message in refused.value.error_dict["upload"])
    assert not hostile.changed_tables(before_rows, hostile.row_counts())
