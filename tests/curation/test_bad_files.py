"""Files that are not a directory spreadsheet, uploaded through the action API and the staff
page: each gets a clear refusal naming the problem (HTTP 4xx or the page's message), never a
500, and nothing is written."""
from __future__ import annotations

import io
import json
import zipfile

import openpyxl
import pytest
from ckan import model

from tests import factories
from tests.curation import sheets

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


@pytest.fixture
def editor(department):
    return factories.member(department["id"], role="editor")


def _api_import(app, user, content, filename, **params):
    return app.post(
        "/api/3/action/govdata_catalogue_import",
        data={"upload": (io.BytesIO(content), filename), **params},
        headers={"Authorization": user["token"]},
        content_type="multipart/form-data",
    )


def _entries_written() -> int:
    model.Session.remove()
    return model.Session.query(model.Package).filter(model.Package.state != "deleted").count()


def _broken_zip() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("xl/workbook.xml", "<not-a-workbook")
    return out.getvalue()


@pytest.mark.parametrize(("content", "filename", "expected"), [
    (b"%PDF-1.7\n...", "目录.pdf", "xlsx"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "目录.png", "xlsx"),
    (_broken_zip(), "目录.xlsx", "xlsx"),
    (b"PK\x03\x04" + b"\x00" * 200, "目录.xlsx", "xlsx"),
    # An encrypted xlsx is an OLE compound file, as an old .xls is.
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 4000, "目录.xlsx", "password"),
    (b"title,notes\nx,y\n", "目录.csv", "资源代码"),
    (b"\xff\xfe\x00\x00garbage\x00\x00", "目录.csv", "GB18030"),
])
def test_a_file_that_is_no_directory_is_refused_with_a_clear_message(app, editor, content, filename, expected):
    response = _api_import(app, editor, content, filename)

    assert response.status_code == 409
    error = response.json["error"]
    assert error["__type"] == "Validation Error"
    [message] = error["upload"]
    assert expected in message and " / " in message
    assert _entries_written() == 0


def test_unknown_and_missing_columns_are_reported_and_nothing_is_written(app, editor, department):
    headers = ["名称", "提供单位", "开放领域", "备注栏"]
    content = sheets.workbook([{"名称": "x", "提供单位": department["title"], "开放领域": "交通运输", "备注栏": "?"}],
                              entry_headers=["资源代码", *headers])
    without_key = io.BytesIO()
    book = openpyxl.load_workbook(io.BytesIO(content))
    book["开放目录"].delete_cols(1)
    book.save(without_key)

    unknown = json.loads(_api_import(app, editor, content, "目录.xlsx").data)["result"]
    missing = json.loads(_api_import(app, editor, without_key.getvalue(), "目录.xlsx").data)["result"]

    assert {(problem["row"], problem["column"]) for problem in unknown["problems"]} >= {(1, "备注栏")}
    assert unknown["written"] is False
    assert {(problem["row"], problem["column"]) for problem in missing["problems"]} == {(1, "资源代码"), (1, "备注栏")}
    assert _entries_written() == 0


def test_a_50_mb_file_is_refused_before_it_is_read(app, editor):
    big = b"PK\x03\x04" + b"\x00" * (50 * 1024 * 1024)

    response = _api_import(app, editor, big, "目录.xlsx")

    assert response.status_code in (409, 413)
    if response.status_code == 409:
        assert "MB" in response.json["error"]["upload"][0]
    assert _entries_written() == 0


def test_the_staff_page_shows_the_refusal_and_the_report(app, editor, department):
    page = app.get("/directory", headers={"Authorization": editor["token"]})
    assert page.status_code == 200 and "开放目录" in page.get_data(as_text=True)

    refused = app.post("/directory", headers={"Authorization": editor["token"]},
                       data={"upload": (io.BytesIO(b"%PDF"), "目录.pdf")}, content_type="multipart/form-data")
    assert refused.status_code == 200
    assert "不是目录表格" in refused.get_data(as_text=True)

    content = sheets.workbook([sheets.entry("330600-JTJ-000301", department["title"], 开放领域="宇宙")])
    reported = app.post("/directory", headers={"Authorization": editor["token"]},
                        data={"upload": (io.BytesIO(content), "目录.xlsx")}, content_type="multipart/form-data")
    text = reported.get_data(as_text=True)
    assert 'data-written="false"' in text and "宇宙" in text
    assert "/directory/returned/" in text
    token = text.split("/directory/returned/")[1].split('"')[0]
    returned = app.get(f"/directory/returned/{token}", headers={"Authorization": editor["token"]})
    assert returned.status_code == 200
    assert sheets.rows(returned.data)[0]["资源代码"] == "330600-JTJ-000301"
    assert _entries_written() == 0


def test_the_staff_page_is_for_staff(app, department):
    plain = factories.user()

    assert app.get("/directory", headers={"Authorization": plain["token"]}).status_code == 403
    assert app.get("/directory/template.xlsx", headers={"Authorization": plain["token"]}).status_code == 403
    anonymous = app.get("/directory", follow_redirects=False)
    assert anonymous.status_code == 302 and "/user/login" in anonymous.headers["Location"]
