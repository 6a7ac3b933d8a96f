"""Importing a directory spreadsheet through govdata_catalogue_import: entries and their data
items are written as the importing user, keyed by resource code, or nothing is written."""
from __future__ import annotations

import base64
import io

import openpyxl
import pytest
from ckan import model
from ckan.logic import NotAuthorized, NotFound
from ckan.tests.helpers import call_action
from ckanext.activity.model import Activity

from tests import factories
from tests.curation import sheets

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


@pytest.fixture
def editor(department):
    return factories.member(department["id"], role="editor")


def test_an_editor_imports_datasets_and_apis_with_their_data_items(department, editor):
    content = sheets.workbook(
        [
            sheets.entry("330600-JTJ-000001", department["title"]),
            sheets.entry("330600-JTJ-000002", department["title"], 类型="API接口", 名称="公交站点信息查询接口",
                         接口地址="https://data.sx.gov.cn/api/bus/stops"),
        ],
        [sheets.item("330600-JTJ-000001", "stop_id", 主键="是"), sheets.item("330600-JTJ-000001", "stop_name"),
         sheets.item("330600-JTJ-000002", "stop_id", 类型="整数型", 长度=12)],
    )

    report = sheets.import_as(editor, content)

    assert report["written"] is True
    assert report["created"] == ["330600-JTJ-000001", "330600-JTJ-000002"]
    assert report["problems"] == []
    [dataset] = sheets.by_code("330600-JTJ-000001")
    assert dataset["type"] == "dataset"
    assert dataset["name"] == "330600-jtj-000001"
    assert dataset["owner_org"] == department["id"]
    assert (dataset["domain"], dataset["open_condition"], dataset["security_grade"], dataset["update_frequency"]) == (
        "transport", "unconditional", "1", "EVERY_MONTH")
    assert dataset["record_count"] == 1200
    assert dataset["data_format"] == ["CSV", "JSON"]
    assert sorted(tag["name"] for tag in dataset["tags"]) == ["公交", "站点"]
    assert dataset["contact_phone"] == "+86 575 8512 3456"
    assert dataset["notes"] == "-全市公交站点的位置与线路。"
    assert [(item["name"], item["key"]) for item in dataset["data_items"]] == [("stop_id", "true"), ("stop_name", "false")]
    [api] = sheets.by_code("330600-JTJ-000002")
    assert api["type"] == "dataservice"
    assert api["api_endpoint"] == "https://data.sx.gov.cn/api/bus/stops"
    assert [(item["name"], item["type"], item["length"]) for item in api["data_items"]] == [("stop_id", "integer", 12)]
    # A department's import creates drafts: nothing is public or counted until the bureau publishes.
    assert (dataset["review_state"], dataset["private"], api["review_state"]) == ("draft", True, "draft")
    assert call_action("govdata_statistics", {"user": ""})["figures"]["apis"] == 0
    assert call_action("package_search", {"user": ""}, q="公交站点信息查询接口")["count"] == 0

    sysadmin = factories.sysadmin()
    call_action("govdata_review_decide", {"user": sysadmin["name"], "ignore_auth": False}, id=api["id"], decision="publish")

    # Counted once, and indexed: the public finds the published API by its title.
    figures = call_action("govdata_statistics", {"user": ""})["figures"]
    assert (figures["datasets"], figures["apis"], figures["data_items"], figures["records"]) == (0, 1, 1, 1200)
    found = call_action("package_search", {"user": ""}, q="公交站点信息查询接口")
    assert [result["id"] for result in found["results"]] == [api["id"]]


def test_the_bureau_imports_published_entries_counted_once_for_the_batch(department, sysadmin):
    content = sheets.workbook(
        [sheets.entry("330600-JTJ-000081", department["title"]), sheets.entry("330600-JTJ-000082", department["title"])],
        [sheets.item("330600-JTJ-000081", "stop_id"), sheets.item("330600-JTJ-000082", "stop_id")],
    )

    report = sheets.import_as(sysadmin, content)

    assert len(report["created"]) == 2
    assert [entry["review_state"] for code in report["created"] for entry in sheets.by_code(code)] == ["published"] * 2
    # Published, but serving no data yet (数据目录100%挂载): counted apart from the datasets.
    figures = call_action("govdata_statistics", {"user": ""})["figures"]
    assert (figures["datasets"], figures["without_data"], figures["data_items"], figures["records"]) == (0, 2, 0, 0)
    assert call_action("package_search", {"user": ""}, q="绍兴市公交站点信息330600-JTJ-000082")["count"] >= 1


def test_importing_the_same_file_again_changes_nothing_and_an_edited_row_updates_in_place(department, editor):
    rows = [sheets.entry("330600-JTJ-000011", department["title"]), sheets.entry("330600-JTJ-000012", department["title"])]
    items = [sheets.item("330600-JTJ-000011", "stop_id")]
    sheets.import_as(editor, sheets.workbook(rows, items))
    before = sheets.by_code("330600-JTJ-000011")[0]

    again = sheets.import_as(editor, sheets.workbook(rows, items))

    assert again["written"] is True
    assert (again["created"], again["updated"]) == ([], [])
    assert sorted(again["unchanged"]) == ["330600-JTJ-000011", "330600-JTJ-000012"]
    assert sheets.by_code("330600-JTJ-000011")[0]["metadata_modified"] == before["metadata_modified"]

    rows[1]["名称"] = "绍兴市公交站点信息（2025年更新）"
    items.append(sheets.item("330600-JTJ-000011", "stop_name"))
    edited = sheets.import_as(editor, sheets.workbook(rows, items))

    assert sorted(edited["updated"]) == ["330600-JTJ-000011", "330600-JTJ-000012"]
    assert edited["created"] == []
    [first] = sheets.by_code("330600-JTJ-000011")
    [second] = sheets.by_code("330600-JTJ-000012")
    assert first["id"] == before["id"]
    assert [item["name"] for item in first["data_items"]] == ["stop_id", "stop_name"]
    assert second["title"] == "绍兴市公交站点信息（2025年更新）"


def test_a_file_with_bad_cells_reports_each_one_and_writes_nothing(department, editor):
    content = sheets.workbook(
        [
            sheets.entry("330600-JTJ-000021", department["title"]),
            sheets.entry("330600-JTJ-000022", "绍兴市不存在局", 开放领域="宇宙探索", **{"数据量（条）": "约一千条"}),
            sheets.entry("330600-JTJ-000021", department["title"]),
            sheets.entry("330600-JTJ-000023", department["title"], 发布日期="去年", 名称=None),
        ],
        [sheets.item("330600-JTJ-000099", "stop_id"), sheets.item("330600-JTJ-000021", "stop id", 类型="未知型")],
    )

    report = sheets.import_as(editor, content)

    assert report["written"] is False
    assert report["created"] == []
    found = {(problem["sheet"], problem["row"], problem["column"]) for problem in report["problems"]}
    assert found >= {
        ("开放目录", 3, "提供单位"), ("开放目录", 3, "开放领域"), ("开放目录", 3, "数据量（条）"),
        ("开放目录", 4, "资源代码"), ("开放目录", 5, "发布日期"), ("开放目录", 5, "名称"),
        ("数据项", 2, "资源代码"), ("数据项", 3, "类型"), ("数据项", 3, "字段名"),
    }
    messages = {(problem["row"], problem["column"]): problem["message"] for problem in report["problems"]}
    assert "宇宙探索" in messages[(3, "开放领域")] and "开放领域" in messages[(3, "开放领域")]
    assert "约一千条" in messages[(3, "数据量（条）")]
    assert "330600-JTJ-000021" in messages[(4, "资源代码")] and "2" in messages[(4, "资源代码")]
    assert all(" / " in problem["message"] for problem in report["problems"]), [p["message"] for p in report["problems"]]
    # Nothing written, not even the valid first row.
    assert sheets.by_code("330600-JTJ-000021") == []


def test_a_partial_import_writes_the_valid_rows_and_hands_back_the_others_marked(department, editor):
    content = sheets.workbook([
        sheets.entry("330600-JTJ-000031", department["title"]),
        sheets.entry("330600-JTJ-000032", department["title"], 开放属性="随便开放"),
    ])

    report = sheets.import_as(editor, content, partial=True)

    assert report["written"] is True
    assert report["created"] == ["330600-JTJ-000031"]
    assert report["skipped"] == ["330600-JTJ-000032"]
    assert len(sheets.by_code("330600-JTJ-000031")) == 1 and sheets.by_code("330600-JTJ-000032") == []
    returned = call_action("govdata_catalogue_returned_show", {"user": editor["name"], "ignore_auth": False}, token=report["returned"])
    content = base64.b64decode(returned["content"])
    [row] = sheets.rows(content)
    assert row["资源代码"] == "330600-JTJ-000032"
    problems_column = next(header for header in row if header and "Problems" in header)
    assert "随便开放" in row[problems_column]

    # Fixed in the handed-back file and imported again.
    book = openpyxl.load_workbook(io.BytesIO(content))
    headers = [cell.value for cell in book["开放目录"][1]]
    book["开放目录"].cell(row=2, column=headers.index("开放属性") + 1, value="有条件开放")
    out = io.BytesIO()
    book.save(out)
    fixed = sheets.import_as(editor, out.getvalue())
    assert fixed["created"] == ["330600-JTJ-000032"], fixed["problems"]
    assert sheets.by_code("330600-JTJ-000032")[0]["open_condition"] == "conditional"


def test_the_returned_rows_are_the_importing_users_only(department, editor):
    report = sheets.import_as(editor, sheets.workbook([sheets.entry("330600-JTJ-000041", department["title"], 开放领域="x")]))
    other = factories.member(department["id"], role="editor")

    with pytest.raises(NotFound):
        call_action("govdata_catalogue_returned_show", {"user": other["name"], "ignore_auth": False}, token=report["returned"])


def test_an_editor_cannot_import_into_another_department(department, editor):
    other = factories.department()

    report = sheets.import_as(editor, sheets.workbook([sheets.entry("330600-JTJ-000051", other["title"])]))

    assert report["written"] is False
    [problem] = report["problems"]
    assert (problem["row"], problem["column"]) == (2, "提供单位")
    assert sheets.by_code("330600-JTJ-000051") == []


def test_an_existing_entry_of_another_department_cannot_be_overwritten(department, editor):
    other = factories.department()
    theirs = factories.dataset(other["id"], identifier="330600-JTJ-000061")

    report = sheets.import_as(editor, sheets.workbook([sheets.entry("330600-JTJ-000061", department["title"])]))

    assert report["written"] is False
    assert report["problems"][0]["column"] == "提供单位"
    assert sheets.by_code("330600-JTJ-000061")[0]["title"] == theirs["title"]


@pytest.mark.parametrize("user", ["", "plain"])
def test_only_department_editors_may_import(department, user):
    name = factories.user()["name"] if user == "plain" else ""
    with pytest.raises(NotAuthorized):
        sheets.import_as(name, sheets.workbook([sheets.entry("330600-JTJ-000071", department["title"])]))


def test_a_new_entry_that_looks_like_an_existing_one_needs_confirming(department, editor):
    existing = factories.dataset(department["id"], title="绍兴市公交站点信息公示")
    content = sheets.workbook([sheets.entry("330600-JTJ-000091", department["title"], 名称="绍兴市公交站点信息公示表")])

    refused = sheets.import_as(editor, content)
    confirmed = sheets.import_as(editor, content, confirm_duplicates=True)

    assert refused["written"] is False
    [problem] = refused["problems"]
    assert (problem["row"], problem["column"]) == (2, "名称") and existing["title"] in problem["message"]
    assert confirmed["created"] == ["330600-JTJ-000091"]


def test_handed_back_rows_keep_what_was_typed_in_refused_item_cells(department, editor):
    content = sheets.workbook(
        [sheets.entry("330600-JTJ-000095", department["title"])],
        [sheets.item("330600-JTJ-000095", "stop_id", 类型="未知型", 长度="二十")],
    )

    report = sheets.import_as(editor, content, partial=True)

    returned = call_action("govdata_catalogue_returned_show", {"user": editor["name"], "ignore_auth": False},
                           token=report["returned"])
    [item] = sheets.rows(base64.b64decode(returned["content"]), "数据项")
    assert (item["字段名"], item["类型"], item["长度"], item["中文名称"]) == ("stop_id", "未知型", "二十", "stop_id中文")


def _activities(package_id: str) -> list[tuple[str, str]]:
    model.Session.remove()
    rows = model.Session.query(Activity.activity_type, Activity.user_id).filter(Activity.object_id == package_id)
    return sorted((kind, user_id) for kind, user_id in rows)


def test_an_import_writes_what_package_create_would_with_one_activity_per_entry(department, editor):
    rows = [sheets.entry("330600-JTJ-000111", department["title"]), sheets.entry("330600-JTJ-000112", department["title"])]
    sheets.import_as(editor, sheets.workbook(rows, [sheets.item("330600-JTJ-000111", "stop_id")]))
    [first] = sheets.by_code("330600-JTJ-000111")

    # One "new package" activity each, by the importing user, holding the dataset as shown; only
    # the department sees the draft's.
    assert _activities(first["id"]) == [("new package", editor["id"])]
    model.Session.remove()
    activity = model.Session.query(Activity).filter(Activity.object_id == first["id"]).one()
    assert activity.data["package"]["title"] == first["title"]
    assert activity.data["package"]["data_items"] == first["data_items"]
    assert f"member-{department['id']}" in activity.permission_labels and "public" not in activity.permission_labels
    assert [a["activity_type"] for a in call_action(
        "package_activity_list", {"user": editor["name"], "ignore_auth": False}, id=first["id"])] == ["new package"]
    # The creator, and the department's membership row package_create adds.
    assert first["creator_user_id"] == editor["id"]
    members = model.Session.query(model.Member.group_id, model.Member.state).filter(
        model.Member.table_id == first["id"], model.Member.capacity == "organization"
    ).all()
    assert members == [(department["id"], "active")]

    # Unchanged: no activity; changed: one "changed package".
    sheets.import_as(editor, sheets.workbook(rows, [sheets.item("330600-JTJ-000111", "stop_id")]))
    rows[0]["名称"] = "绍兴市公交站点信息（修订）"
    sheets.import_as(editor, sheets.workbook(rows, [sheets.item("330600-JTJ-000111", "stop_id")]))

    assert _activities(first["id"]) == [("changed package", editor["id"]), ("new package", editor["id"])]
    [second] = sheets.by_code("330600-JTJ-000112")
    assert _activities(second["id"]) == [("new package", editor["id"])]
