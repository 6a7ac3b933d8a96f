"""Data items from the data: proposed from a datastore table's own fields, applied by staff
keeping their Chinese names, and mismatches between declared items and tables listed."""
from __future__ import annotations

import pytest
from ckan.logic import NotAuthorized
from ckan.tests.helpers import call_action

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

RECORDS = [
    {"credit_code": "91330600MA2BC0JX1X", "company": "绍兴甲公司", "tax_paid": 100, "paid_on": "2024-01-31"},
    {"credit_code": "91330600MA2BC0KY2Y", "company": "绍兴乙公司", "tax_paid": 200.5, "paid_on": "2024-02-29"},
]


def _as(user, action, **data):
    return call_action(action, {"user": user["name"], "ignore_auth": False}, **data)


@pytest.fixture
def editor(department):
    return factories.member(department["id"], role="editor")


@pytest.fixture
def with_table(department):
    dataset = factories.dataset(department["id"], data_items=[
        {"name": "credit_code", "name_zh": "统一社会信用代码", "type": "string", "key": "true"},
        {"name": "legal_person", "name_zh": "法定代表人", "type": "string"},
    ])
    factories.datastore_resource(dataset["id"], records=RECORDS)
    return dataset


def test_items_are_proposed_from_the_table_keeping_what_staff_wrote(with_table, editor):
    result = _as(editor, "govdata_data_items_propose", id=with_table["id"])

    proposed = {item["name"]: item for item in result["proposed"]}
    assert list(proposed) == ["credit_code", "company", "tax_paid", "paid_on"]
    assert (proposed["credit_code"]["name_zh"], proposed["credit_code"]["key"]) == ("统一社会信用代码", "true")
    assert proposed["company"]["type"] == "string"
    assert proposed["tax_paid"]["type"] in ("decimal", "integer")
    assert result["mismatch"] == {"not_in_table": ["legal_person"], "not_declared": ["company", "paid_on", "tax_paid"]}


def test_applying_the_proposal_makes_items_and_table_agree(with_table, editor, sysadmin):
    _as(editor, "govdata_data_items_apply", id=with_table["id"])

    shown = call_action("package_show", id=with_table["id"])
    assert [item["name"] for item in shown["data_items"]] == ["credit_code", "company", "tax_paid", "paid_on"]
    assert shown["data_items"][0]["name_zh"] == "统一社会信用代码"
    assert _as(editor, "govdata_data_items_propose", id=with_table["id"])["mismatch"] is None
    assert _as(sysadmin, "govdata_catalogue_item_mismatches")["count"] == 0


def test_mismatches_are_listed_for_staff_and_shown_on_the_page(app, with_table, editor, department):
    report = _as(editor, "govdata_catalogue_item_mismatches")

    [entry] = report["datasets"]
    assert (entry["id"], entry["not_in_table"]) == (with_table["id"], ["legal_person"])
    page = app.get(f"/dataset/{with_table['name']}", headers={"Authorization": editor["token"]}).get_data(as_text=True)
    assert "govdata-items-mismatch" in page and "legal_person" in page
    reports = app.get("/directory/reports", headers={"Authorization": editor["token"]}).get_data(as_text=True)
    assert with_table["title"] in reports


def test_only_the_datasets_editors_may_propose_or_apply(with_table):
    outsider = factories.member(factories.department()["id"], role="editor")

    for action in ("govdata_data_items_propose", "govdata_data_items_apply"):
        with pytest.raises(NotAuthorized):
            _as(outsider, action, id=with_table["id"])
