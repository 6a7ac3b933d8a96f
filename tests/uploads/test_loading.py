"""Uploads loaded into the datastore by xloader's job, run for real: the file is fetched and the
status reported over HTTP, the table filled by COPY; a dataset without data items gets them from
its table; GB18030 CSV loads as Chinese; staff see each load's status and errors."""
from __future__ import annotations

import pathlib

import pytest
from ckan.tests.helpers import call_action
from ckanext.datastore.backend.postgres import get_write_engine

from tests import factories
from tests.conftest import run_jobs

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

GB18030_CSV = pathlib.Path(__file__).parent / "data" / "gb18030.csv"


def _rows(resource_id: str) -> list[dict]:
    return call_action("datastore_search", resource_id=resource_id, sort="_id")["records"]


@pytest.fixture
def empty_dataset(department):
    return factories.dataset(department["id"], data_items=[])


def test_an_uploaded_csv_is_loaded_and_its_data_items_proposed(xloader, empty_dataset):
    resource = factories.uploaded_resource(
        empty_dataset["id"], content="序号,单位名称,金额（万元）,登记日期,邮编\n1,绍兴市交通运输局,1200.50,2023-01-15,0575\n"
        "2,绍兴市卫生健康委员会,860,2023-02-01,312000\n".encode(), filename="单位.csv")

    run_jobs()

    shown = call_action("resource_show", id=resource["id"])
    assert shown["datastore_active"] is True
    assert [row["单位名称"] for row in _rows(resource["id"])] == ["绍兴市交通运输局", "绍兴市卫生健康委员会"]
    items = call_action("package_show", id=empty_dataset["id"])["data_items"]
    assert [(item["name"], item["name_zh"], item["type"], item.get("length")) for item in items] == [
        ("xu_hao", "序号", "integer", 1),
        ("dan_wei_ming_cheng", "单位名称", "string", 10),
        ("jin_e_wan_yuan", "金额（万元）", "decimal", 7),
        ("deng_ji_ri_qi", "登记日期", "date", 10),
        ("you_bian", "邮编", "string", 6),
    ]
    assert call_action("govdata_data_items_propose", id=empty_dataset["id"])["mismatch"] is None
    assert call_action("xloader_status", resource_id=resource["id"])["status"] == "complete"


def test_declared_data_items_are_left_as_staff_wrote_them(xloader, department):
    dataset = factories.dataset(department["id"])
    declared = call_action("package_show", id=dataset["id"])["data_items"]

    factories.uploaded_resource(dataset["id"])
    run_jobs()

    assert call_action("package_show", id=dataset["id"])["data_items"] == declared


def test_a_gb18030_csv_loads_as_chinese(xloader, empty_dataset):
    """What Excel on Chinese Windows saves as CSV (GB18030, CRLF), with a character beyond GBK."""
    resource = factories.uploaded_resource(empty_dataset["id"], content=GB18030_CSV.read_bytes(), filename="register.csv")

    run_jobs()

    rows = _rows(resource["id"])
    assert [row["单位名称"] for row in rows] == ["绍兴市交通运输局", "绍兴市卫生健康委员会", "𠮷祥物流有限公司"]
    assert rows[0]["金额（万元）"] == "1200.50"
    fields = call_action("datastore_info", id=resource["id"])["fields"]
    assert [field["id"] for field in fields] == ["序号", "单位名称", "统计年度", "金额（万元）", "登记日期"]


def test_a_gb18030_upload_is_stored_as_utf8_that_excel_opens(app, empty_dataset, sysadmin):
    resource = factories.uploaded_resource(empty_dataset["id"], content=GB18030_CSV.read_bytes(), filename="register.csv")

    stored = app.get(resource["url"], headers={"Authorization": sysadmin["token"]}).data

    assert stored == b"\xef\xbb\xbf" + GB18030_CSV.read_bytes().decode("gb18030").encode("utf-8")
    assert call_action("resource_show", id=resource["id"])["size"] == len(stored)


def test_utf8_and_other_files_are_stored_as_uploaded(app, empty_dataset, sysadmin):
    utf8 = "名称\n绍兴\n".encode()
    png = b"\x89PNG\r\n\x1a\n\x00\x00"
    for content, name, data_format in ((utf8, "a.csv", "CSV"), (png, "b.png", "PNG"), (png, "c", "CSV")):
        resource = factories.uploaded_resource(empty_dataset["id"], content=content, filename=name, format=data_format)
        assert app.get(resource["url"], headers={"Authorization": sysadmin["token"]}).data == content


def test_staff_see_a_failed_load_and_its_error_the_public_neither(app, xloader, department):
    dataset = factories.dataset(department["id"])
    editor = factories.member(department["id"], role="editor")
    resource = factories.uploaded_resource(dataset["id"], content=b"a,b\n1,2\n3,4,5\n", filename="bad.csv")

    run_jobs()

    assert call_action("xloader_status", resource_id=resource["id"])["status"] == "error"
    url = f"/dataset/{dataset['name']}/resource/{resource['id']}"
    staff_page = app.get(url, headers={"Authorization": editor["token"]}).get_data(as_text=True)
    assert "数据仓库: 导入失败" in staff_page
    assert "govdata-load-error" in staff_page and "extra data after last expected column" in staff_page
    public_page = app.get(url).get_data(as_text=True)
    assert "govdata-load" not in public_page and "extra data" not in public_page
    log_page = app.get(f"/dataset/{dataset['name']}/resource_data/{resource['id']}", headers={"Authorization": editor["token"]})
    assert "导入失败" in log_page.get_data(as_text=True)
    assert app.get(f"/dataset/{dataset['name']}/resource_data/{resource['id']}").status_code in (403, 404)


def test_staff_see_a_completed_load(app, xloader, department):
    dataset = factories.dataset(department["id"])
    editor = factories.member(department["id"], role="editor")
    resource = factories.uploaded_resource(dataset["id"])

    run_jobs()

    page = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}", headers={"Authorization": editor["token"]})
    assert "数据仓库: 已导入" in page.get_data(as_text=True)


def test_a_loaded_table_keeps_its_full_text_index_and_trigger(xloader, empty_dataset):
    """xloader 2.5.2 created both on a connection it never committed (uploads/xloader_fixes.py)."""
    resource = factories.uploaded_resource(empty_dataset["id"])
    run_jobs()

    with get_write_engine().connect() as connection:
        trigger = connection.exec_driver_sql(
            "SELECT tgenabled FROM pg_trigger WHERE tgrelid = %s::regclass AND tgname = 'zfulltext'",
            (f'"{resource["id"]}"',)).scalar()
        indexes = connection.exec_driver_sql(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s", (resource["id"],)).scalars().all()
    assert trigger == "O"
    assert any("(_full_text)" in index for index in indexes), indexes
    call_action("datastore_upsert", factories.site_context(), resource_id=resource["id"], method="insert", force=True,
                records=[{"route_no": "K88", "passengers": "5"}])
    assert call_action("datastore_search", resource_id=resource["id"], q="K88")["total"] == 1
