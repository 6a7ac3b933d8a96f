"""A grantee's downloads of grade 3 data carry their name and the grant as a ``_watermark`` column
(CSV, TSV, xlsx); formats that cannot carry it are refused; open data and staff downloads are unchanged."""
from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest

from ckanext.govdata.access import watermark
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

CSV = "单位名称,金额,备注\r\n绍兴甲公司,100,\"两行\n备注\"\r\n绍兴乙公司,200,=1+1\r\n".encode()


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active.append(["单位名称", "金额"])
    book.active.append(["绍兴甲公司", 100])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def _world(grade: str) -> dict[str, Any]:
    department = factories.department()
    dataset = factories.dataset(department["id"], open_condition="conditional", data_subject_type="none",
                                security_grade=grade)
    world = {
        "dataset": dataset,
        "csv": factories.uploaded_resource(dataset["id"], content=CSV, filename="amounts.csv"),
        "xlsx": factories.uploaded_resource(dataset["id"], content=_xlsx(), filename="amounts.xlsx", format="XLSX"),
        "pdf": factories.uploaded_resource(dataset["id"], content=b"%PDF-1.4\n", filename="notes.pdf", format="PDF"),
        "table": factories.datastore_resource(dataset["id"]),
        "grantee": factories.user(),
    }
    world["grant"] = factories.approved_request(world["grantee"], dataset["id"], subject_id=None,
                                                subject_consent=None)["grant"]
    return world


def _get(app, world: dict[str, Any], name: str, user: dict[str, Any] | None = None, **kwargs: Any):
    resource = world[name]
    filename = {"csv": "amounts.csv", "xlsx": "amounts.xlsx", "pdf": "notes.pdf"}[name]
    url = f"/dataset/{world['dataset']['id']}/resource/{resource['id']}/download/{filename}"
    return app.get(url, headers={"Authorization": (user or world["grantee"])["token"], **kwargs.pop("headers", {})},
                   **kwargs)


def test_a_grantees_csv_download_of_grade_3_data_carries_the_watermark_column(app):
    world = _world("3")

    response = _get(app, world, "csv")

    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0] == ["单位名称", "金额", "备注", "_watermark"]
    assert [row[:3] for row in rows[1:]] == [["绍兴甲公司", "100", "两行\n备注"], ["绍兴乙公司", "200", "=1+1"]]
    for row in rows[1:]:
        assert world["grantee"]["name"] in row[3] and world["grant"]["id"] in row[3]


def test_a_grantees_datastore_dump_and_xlsx_carry_the_watermark(app):
    world = _world("3")
    headers = {"Authorization": world["grantee"]["token"]}

    dump = app.get(f"/datastore/dump/{world['table']['id']}", headers=headers)
    tsv = app.get(f"/datastore/dump/{world['table']['id']}", query_string={"format": "tsv"}, headers=headers)
    book = openpyxl.load_workbook(io.BytesIO(_get(app, world, "xlsx").get_data()))

    dumped = list(csv.reader(io.StringIO(dump.get_data(as_text=True).lstrip("\ufeff"))))
    assert dumped[0][-1] == "_watermark" and all(world["grant"]["id"] in row[-1] for row in dumped[1:])
    assert len(dumped) == 3
    assert tsv.get_data(as_text=True).lstrip("\ufeff").splitlines()[0].endswith("\t_watermark")
    sheet = book.active
    assert [cell.value for cell in sheet[1]] == ["单位名称", "金额", "_watermark"]
    assert world["grantee"]["name"] in sheet.cell(row=2, column=3).value
    assert world["grant"]["id"] in book.properties.description


def test_formats_that_cannot_carry_the_mark_and_partial_downloads_are_refused(app):
    world = _world("3")
    headers = {"Authorization": world["grantee"]["token"]}

    _get(app, world, "pdf", status=403)
    app.get(f"/datastore/dump/{world['table']['id']}", query_string={"format": "json"}, headers=headers, status=403)
    _get(app, world, "csv", headers={"Range": "bytes=0-10"}, status=416)


def test_grade_2_data_and_staff_downloads_are_not_marked(app):
    world = _world("2")
    graded_3 = _world("3")

    assert _get(app, world, "csv").get_data() == CSV
    assert _get(app, graded_3, "csv", user=factories.sysadmin()).get_data() == CSV


def test_a_gb18030_file_keeps_its_encoding():
    content = "单位名称,金额\n绍兴甲公司,100\n".encode("gb18030")

    marked = b"".join(watermark.marked_text([content[:5], content[5:]], "授权使用 Licensed to 甲"))

    assert marked.decode("gb18030").splitlines() == ["单位名称,金额,_watermark", "绍兴甲公司,100,授权使用 Licensed to 甲"]


def test_a_utf8_file_cut_inside_a_character_stays_utf8():
    content = ("名称\n" + "甲" * 30000 + "\n").encode("utf-8")

    marked = b"".join(watermark.marked_text([content[:watermark.SNIFF_BYTES], content[watermark.SNIFF_BYTES:]], "m"))

    assert marked.decode("utf-8").splitlines()[1] == "甲" * 30000 + ",m"
