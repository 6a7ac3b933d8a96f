"""A UTF-8 CSV is loaded by one COPY of the file (uploads/fastload.py), through xloader's real job:
queryable once the load is done, found by full-text search once the follow-up job is done, its
state shown to staff; a malformed file fails clearly and leaves no table."""
from __future__ import annotations

import io

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests.helpers import call_action
from ckanext.datastore.backend.postgres import get_write_engine
from werkzeug.datastructures import FileStorage

from ckanext.govdata.uploads import fastload, helpers
from tests import factories
from tests.conftest import run_jobs

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

REGISTER = ("\ufeff序号,单位名称,地址\n1,绍兴市交通运输局,越城区\n"
            "2,\"绍兴市卫生健康委员会, 医政处\",柯桥区\n3,诸暨市水务集团,\"诸暨市\n暨阳街道\"\n").encode()


def _run_the_load_only() -> None:
    """The load's job alone; the follow-ups it enqueues wait in the queue."""
    run_jobs(max_jobs=1)


def _badge(app, dataset, resource, user) -> str:
    page = app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}", headers={"Authorization": user["token"]})
    return page.get_data(as_text=True)


def test_a_utf8_csv_is_queryable_after_its_copy_and_found_by_full_text_after_the_follow_up(app, xloader, department):
    dataset = factories.dataset(department["id"])
    editor = factories.member(department["id"], role="editor")
    resource = factories.uploaded_resource(dataset["id"], content=REGISTER, filename="单位.csv")

    _run_the_load_only()

    assert call_action("resource_show", id=resource["id"])["datastore_active"] is True
    assert call_action("xloader_status", resource_id=resource["id"])["status"] == "complete"
    rows = call_action("datastore_search", resource_id=resource["id"], sort="_id")["records"]
    assert [(row["序号"], row["单位名称"], row["地址"]) for row in rows] == [
        ("1", "绍兴市交通运输局", "越城区"), ("2", "绍兴市卫生健康委员会, 医政处", "柯桥区"), ("3", "诸暨市水务集团", "诸暨市\n暨阳街道")]
    assert call_action("datastore_search", resource_id=resource["id"], filters={"地址": "柯桥区"})["total"] == 1
    assert call_action("datastore_search", resource_id=resource["id"], q="绍兴市交通运输局")["total"] == 0
    assert fastload.full_text_state(resource["id"]) == "pending"
    assert "全文检索: 准备中" in _badge(app, dataset, resource, editor)

    run_jobs()

    found = call_action("datastore_search", resource_id=resource["id"], q="绍兴市交通运输局")["records"]
    assert [row["序号"] for row in found] == ["1"]
    assert fastload.full_text_state(resource["id"]) == "complete"
    assert "全文检索: 已就绪" in _badge(app, dataset, resource, editor)
    assert "全文检索" not in app.get(f"/dataset/{dataset['name']}/resource/{resource['id']}").get_data(as_text=True)
    with get_write_engine().connect() as connection:
        indexes = connection.exec_driver_sql(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s", (resource["id"],)).scalars().all()
    assert any("(_full_text)" in index for index in indexes), indexes


def test_rows_added_before_the_follow_up_are_found_too(xloader, department):
    dataset = factories.dataset(department["id"])
    resource = factories.uploaded_resource(dataset["id"], content=REGISTER, filename="单位.csv")
    _run_the_load_only()

    call_action("datastore_upsert", factories.site_context(), resource_id=resource["id"], method="insert", force=True,
                records=[{"序号": "4", "单位名称": "上虞区档案馆", "地址": "上虞区"}])
    run_jobs()

    assert call_action("datastore_search", resource_id=resource["id"], q="上虞区档案馆")["total"] == 1
    assert call_action("datastore_search", resource_id=resource["id"], q="诸暨市水务集团")["total"] == 1


@pytest.mark.parametrize(("content", "reason"), [
    (b"a,b\n1,2\n3,4,5\n", "extra data after last expected column"),
    (b"a,b\n1,2\n3\n", "missing data for column"),
    (b'a,b\n1,"2\n3,4\n', "unterminated CSV quoted field"),
])
def test_a_malformed_csv_fails_clearly_and_leaves_no_table(xloader, department, content, reason):
    dataset = factories.dataset(department["id"])
    resource = factories.uploaded_resource(dataset["id"], content=content, filename="bad.csv")

    run_jobs()

    status = call_action("xloader_status", resource_id=resource["id"])
    assert status["status"] == "error"
    assert "The CSV file is not well formed" in helpers._error_message(status)
    assert reason in helpers._error_message(status)
    assert call_action("resource_show", id=resource["id"])["datastore_active"] is False
    with pytest.raises(tk.ObjectNotFound):
        call_action("datastore_search", resource_id=resource["id"])
    assert fastload.full_text_state(resource["id"]) is None


def test_a_reload_of_the_same_columns_keeps_the_data_dictionary(xloader, department):
    dataset = factories.dataset(department["id"])
    resource = factories.uploaded_resource(dataset["id"], content=REGISTER, filename="单位.csv")
    run_jobs()
    call_action("datastore_create", factories.site_context(), resource_id=resource["id"], force=True, fields=[
        {"id": "序号", "type": "text", "info": {"label": "序号", "notes": "登记顺序"}},
        {"id": "单位名称", "type": "text"}, {"id": "地址", "type": "text"}])

    call_action("resource_patch", factories.site_context(), id=resource["id"],
                upload=FileStorage(io.BytesIO("序号,单位名称,地址\n9,新昌县图书馆,新昌县\n".encode()), filename="单位.csv"))
    run_jobs()

    assert [row["单位名称"] for row in call_action("datastore_search", resource_id=resource["id"])["records"]] == ["新昌县图书馆"]
    fields = {field["id"]: field for field in call_action("datastore_info", id=resource["id"])["fields"]}
    assert fields["序号"]["info"]["notes"] == "登记顺序"
    assert call_action("datastore_search", resource_id=resource["id"], q="新昌县图书馆")["total"] == 1


def test_a_semicolon_separated_file_keeps_xloaders_path(xloader, department):
    dataset = factories.dataset(department["id"])
    resource = factories.uploaded_resource(dataset["id"], content="名称;数量\n绍兴;3\n".encode(), filename="semi.csv")

    run_jobs()

    assert [row["名称"] for row in call_action("datastore_search", resource_id=resource["id"])["records"]] == ["绍兴"]
    assert fastload.full_text_state(resource["id"]) is None


def test_a_file_larger_than_the_sample_read_for_its_header_takes_the_copy(xloader, department):
    """The header is read from the first megabyte, which here ends inside a Chinese character."""
    dataset = factories.dataset(department["id"])
    rows = "".join(f"{number},绍兴市第{number}号单位\n" for number in range(40_000))
    assert len(("序号,单位名称\n" + rows).encode()) > fastload.SAMPLE
    resource = factories.uploaded_resource(dataset["id"], content=("序号,单位名称\n" + rows).encode(), filename="big.csv")

    _run_the_load_only()

    assert fastload.full_text_state(resource["id"]) == "pending"
    assert call_action("datastore_search", resource_id=resource["id"], limit=0)["total"] == 40_000
