"""Exporting the open directory (xlsx and CSV) in the import's layout: export then import
changes nothing; the template offers drop-down lists; everyone exports what they may see."""
from __future__ import annotations

import io

import openpyxl
import pytest
from ckan.tests.helpers import call_action
from click.testing import CliRunner

from ckanext.govdata.cli import govdata
from tests import factories
from tests.curation import sheets

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _catalogue(department):
    """Entries with what tends not to survive a spreadsheet: lists, dates, numbers, a phone
    number and a text starting with a formula character, an API."""
    dataset = factories.dataset(
        department["id"], identifier="330600-JTJ-000101", notes="=SUM(A1) 不是公式", contact_phone="+86 575 8888 0000",
        tag_string="公交,站点", resource_library="theme-transport", temporal_start="2020-01-01", record_count=0,
    )
    api = factories.dataservice(department["id"], identifier="330600-JTJ-000102", served_datasets=[dataset["name"]])
    return dataset, api


def _export(app, user, **params):
    response = app.get("/directory/export", query_string=params,
                       headers={"Authorization": user["token"]} if user else {})
    assert response.status_code == 200
    return response.data


def test_export_then_import_changes_nothing(app, department, sysadmin):
    dataset, api = _catalogue(department)

    exported = _export(app, sysadmin, format="xlsx")
    report = sheets.import_as(sysadmin, exported)

    assert report["problems"] == []
    assert (report["created"], report["updated"]) == ([], [])
    assert sorted(report["unchanged"]) == ["330600-JTJ-000101", "330600-JTJ-000102"]
    after = sheets.by_code("330600-JTJ-000101")[0]
    assert after["metadata_modified"] == dataset["metadata_modified"]
    assert after["notes"] == "=SUM(A1) 不是公式"
    [row] = [row for row in sheets.rows(exported) if row["资源代码"] == "330600-JTJ-000101"]
    assert (row["开放领域"], row["开放属性"], row["更新频率"], row["提供单位"]) == ("交通运输", "无条件开放", "每月", department["title"])
    items = sheets.rows(exported, "数据项")
    assert [item["字段名"] for item in items if item["资源代码"] == "330600-JTJ-000101"] == ["route_no", "passengers"]
    # The API keeps what the sheet does not hold (its parameters and served datasets).
    assert sheets.by_code("330600-JTJ-000102")[0]["served_datasets"] == api["served_datasets"]


def test_csv_export_then_import_changes_nothing_and_gb18030_files_are_read(app, department, sysadmin):
    _catalogue(department)

    exported = _export(app, sysadmin, format="csv")
    assert exported.startswith("\ufeff".encode())
    assert sorted(sheets.import_as(sysadmin, exported, "目录.csv")["unchanged"]) == ["330600-JTJ-000101", "330600-JTJ-000102"]

    # Excel in Chinese saves CSV as GB18030: the edited title arrives intact.
    text = exported.decode("utf-8-sig").replace("绍兴市2023年公交客运量统计", "绍兴市公交客运量统计（修订）", 1)
    report = sheets.import_as(sysadmin, text.encode("gb18030"), "目录.csv")
    assert len(report["updated"]) == 1, report["problems"]
    assert sheets.by_code(report["updated"][0])[0]["title"].startswith("绍兴市公交客运量统计（修订）")


def test_export_of_one_department_or_domain(app, department, sysadmin):
    _catalogue(department)
    other = factories.department()
    factories.dataset(other["id"], identifier="330600-OTHER-000001", domain="health")

    mine = sheets.rows(_export(app, sysadmin, department=department["name"]))
    health = sheets.rows(_export(app, sysadmin, domain="health"))

    assert sorted(row["资源代码"] for row in mine) == ["330600-JTJ-000101", "330600-JTJ-000102"]
    assert [row["资源代码"] for row in health] == ["330600-OTHER-000001"]
    assert app.get("/directory/export", query_string={"department": 'x" OR *:*'}).status_code == 400
    assert app.get("/directory/export", query_string={"format": "pdf"}).status_code == 400


def test_the_public_exports_public_entries_only(app, department, sysadmin):
    _catalogue(department)
    factories.dataset(department["id"], identifier="330600-JTJ-000103", private=True)

    public = {row["资源代码"] for row in sheets.rows(_export(app, None))}
    staff = {row["资源代码"] for row in sheets.rows(_export(app, sysadmin))}

    assert "330600-JTJ-000103" not in public
    assert "330600-JTJ-000103" in staff
    assert "330600-JTJ-000101" in public


def test_the_template_has_both_sheets_required_headers_and_drop_down_lists(tmp_path, department):
    target = tmp_path / "template.xlsx"

    result = CliRunner().invoke(govdata, ["catalogue", "template", str(target)], catch_exceptions=False)

    assert result.exit_code == 0
    book = openpyxl.load_workbook(io.BytesIO(target.read_bytes()))
    assert book.sheetnames[:2] == ["开放目录", "数据项"]
    entries = book["开放目录"]
    headers = [cell.value for cell in entries[1]]
    assert headers[:3] == ["资源代码", "名称", "类型"]
    assert {"提供单位", "开放领域", "开放属性", "更新频率", "所属资源库", "接口地址"} <= set(headers)
    assert "数据项" not in headers and "请求参数" not in headers
    choices = book["选项"]
    assert choices.sheet_state == "hidden"
    lists = {}
    for validation in entries.data_validations.dataValidation:
        column = str(validation.sqref).split(":")[0].rstrip("0123456789")
        header = headers[openpyxl.utils.column_index_from_string(column) - 1]
        letter = validation.formula1.split("!$")[1].split("$")[0]
        lists[header] = [cell.value for cell in choices[letter][1:] if cell.value]
    assert "交通运输" in lists["开放领域"] and len(lists["开放领域"]) == 14
    assert lists["开放属性"] == ["无条件开放", "有条件开放", "不予开放"]
    assert "每季度" in lists["更新频率"]
    assert department["title"] in lists["提供单位"]
    assert "交通出行主题库" in lists["所属资源库"]
    # Filled in with the lists' values, the template imports.
    sysadmin = factories.sysadmin()
    for column, value in (("资源代码", "330600-JTJ-000201"), ("名称", "绍兴市公交线路"), ("类型", "数据集"),
                          ("提供单位", department["title"]), ("开放领域", "交通运输"), ("开放属性", "无条件开放"),
                          ("安全分级", "一级（公开）"), ("更新频率", "每日")):
        entries.cell(row=2, column=headers.index(column) + 1, value=value)
    out = io.BytesIO()
    book.save(out)
    report = sheets.import_as(sysadmin, out.getvalue())
    assert report["created"] == ["330600-JTJ-000201"], report["problems"]


def test_cli_export_and_import_round_trip(tmp_path, department):
    _catalogue(department)
    target = tmp_path / "directory.xlsx"
    runner = CliRunner()

    exported = runner.invoke(govdata, ["catalogue", "export", str(target)], catch_exceptions=False)
    imported = runner.invoke(govdata, ["catalogue", "import", str(target)], catch_exceptions=False)

    assert "2 entries" in exported.output
    assert "0 created, 0 updated, 2 unchanged" in imported.output
    assert call_action("package_search", {}, q="*:*")["count"] == 2
