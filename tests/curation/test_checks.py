"""The directory's checks: published entries without data, likely duplicates and overdue
updates, for the bureau and for each department's staff."""
from __future__ import annotations

import email

import pytest
from ckan.logic import NotAuthorized
from ckan.tests.helpers import call_action
from click.testing import CliRunner

from ckanext.govdata import calendar
from ckanext.govdata.cli import govdata
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

ITEMS = [{"name": name, "name_zh": name, "type": "string"} for name in ("credit_code", "penalty_no", "penalty_basis", "penalty_date")]


def _as(user, action, **data):
    return call_action(action, {"user": user["name"], "ignore_auth": False}, **data)


def test_published_entries_without_data_are_listed_per_department(department, sysadmin):
    empty = factories.dataset(department["id"], title="绍兴市空目录")
    with_data = factories.dataset(department["id"], title="绍兴市有数据目录")
    factories.uploaded_resource(with_data["id"])
    factories.dataservice(department["id"])

    report = _as(sysadmin, "govdata_catalogue_without_data")

    assert report["count"] == 1
    [group] = report["departments"]
    assert (group["title"], [entry["id"] for entry in group["entries"]]) == (department["title"], [empty["id"]])


def test_likely_duplicates_by_title_in_a_department_and_by_data_items_anywhere(department, sysadmin):
    other = factories.department()
    first = factories.dataset(department["id"], title="绍兴市行政处罚信息公示")
    second = factories.dataset(department["id"], title="绍兴市行政处罚信息公示表")
    factories.dataset(department["id"], title="绍兴市2023年公交客运量")
    factories.dataset(department["id"], title="绍兴市2024年公交客运量")
    same_items = factories.dataset(department["id"], title="企业违法记录", data_items=ITEMS)
    copied = factories.dataset(other["id"], title="失信企业处罚清单", data_items=ITEMS)
    for number in range(6):  # "record_id" is common: alone it makes nothing a duplicate
        factories.dataset(other["id"], title=f"其他数据{number}", data_items=[{"name": "route_no"}, {"name": "passengers"}])

    report = _as(sysadmin, "govdata_catalogue_duplicates")

    found = {(frozenset(entry["id"] for entry in pair["entries"]), pair["reason"]) for pair in report["pairs"]}
    assert found == {(frozenset({first["id"], second["id"]}), "title"),
                     (frozenset({same_items["id"], copied["id"]}), "data_items")}
    # A department's staff see the pairs that involve their entries.
    editor = factories.member(other["id"], role="editor")
    mine = _as(editor, "govdata_catalogue_duplicates")
    assert [pair["reason"] for pair in mine["pairs"]] == ["data_items"]


def test_overdue_entries_are_listed_longest_overdue_first(department, sysadmin):
    old = factories.dataset(department["id"], update_frequency="EVERY_MONTH", modified="2020-01-31")
    older = factories.dataset(department["id"], update_frequency="EVERY_YEAR", modified="2019-01-01")
    factories.dataset(department["id"], update_frequency="IRREGULAR", modified="2010-01-01")
    factories.dataset(department["id"], update_frequency="EVERY_YEAR", modified=calendar.today().isoformat())

    report = _as(sysadmin, "govdata_overdue_list")

    assert [entry["id"] for entry in report["entries"]] == [older["id"], old["id"]]
    assert report["entries"][0]["department"]["title"] == department["title"]
    assert report["entries"][0]["days_since_update"] > 365


def test_the_checks_are_for_staff_and_scoped_to_their_departments(app, department):
    plain = factories.user()
    editor = factories.member(department["id"], role="editor")
    other = factories.department()
    factories.dataset(other["id"], title="别的部门的空目录")

    for action in ("govdata_catalogue_without_data", "govdata_catalogue_duplicates", "govdata_overdue_list"):
        with pytest.raises(NotAuthorized):
            _as(plain, action)
        with pytest.raises(NotAuthorized):
            _as(editor, action, id=other["id"])
    assert _as(editor, "govdata_catalogue_without_data")["count"] == 0

    page = app.get("/directory/reports", headers={"Authorization": editor["token"]})
    assert page.status_code == 200 and "govdata-duplicates" in page.get_data(as_text=True)
    assert app.get("/directory/reports", headers={"Authorization": plain["token"]}).status_code == 403


def test_departments_are_reminded_of_overdue_entries_by_mail_and_on_their_page(app, department, sysadmin, mail_server):
    editor = factories.member(department["id"], role="editor", email="editor@jtj.sx.gov.cn")
    elsewhere = factories.member(factories.department()["id"], role="editor", email="other@sx.gov.cn")
    old = factories.dataset(department["id"], update_frequency="EVERY_MONTH", modified="2020-01-31")

    result = CliRunner().invoke(govdata, ["catalogue", "remind-overdue"], catch_exceptions=False)

    assert "departments: 1, entries: 1, mails sent: 1" in result.output
    [message] = mail_server.get_smtp_messages()
    assert message[2] == ["editor@jtj.sx.gov.cn"] and elsewhere["email"] not in message[2]
    page = app.get("/directory", headers={"Authorization": editor["token"]}).get_data(as_text=True)
    assert "govdata-overdue-notice" in page
    with pytest.raises(NotAuthorized):
        _as(editor, "govdata_overdue_reminders_send")
    body = email.message_from_string(message[3]).get_payload(decode=True).decode("utf-8")
    assert old["title"] in body and "/directory/reports" in body
