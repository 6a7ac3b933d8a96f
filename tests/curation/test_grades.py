"""Security grades bind the open condition: saving, importing and publishing against the grade table
are refused naming the field in Chinese and English; entries saved before the table are listed for
staff and their data is served no further than their grade allows."""
from __future__ import annotations

from typing import Any

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests.helpers import call_action

from ckanext.govdata import open_condition
from ckanext.govdata.validators import grades
from tests import factories
from tests.curation import sheets

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _as(user: dict[str, Any]) -> dict[str, Any]:
    return {"user": user["name"], "ignore_auth": False}


def _legacy(package_id: str, **extras: str) -> None:
    """Store a grade and a condition as they were before the table bound them (no validation)."""
    package = model.Package.get(package_id)
    package.extras = dict(package.extras or {}, **extras)
    model.Session.commit()


def test_the_default_table_comes_from_the_vocabulary():
    assert grades.table() == {"1": "unconditional", "2": "conditional", "3": "conditional-approved", "4": "not-open"}
    assert grades.allowed_conditions("2") == ("conditional", "not-open")
    assert grades.allowed_conditions("4") == ("not-open",)
    assert grades.needs_subject_or_bureau("3") and not grades.needs_subject_or_bureau("2")


@pytest.mark.ckan_config("ckanext.govdata.security_grade_table", "2:not-open")
def test_the_configured_table_overrides_a_grade():
    assert grades.table()["2"] == "not-open"
    assert grades.table()["1"] == "unconditional"


@pytest.mark.parametrize("table", ["1:bogus", "9:not-open", "1"])
def test_a_bad_table_stops_start_up_naming_the_option(monkeypatch, table):
    from ckan.exceptions import CkanConfigurationException

    monkeypatch.setitem(tk.config, grades.OPTION, table)

    with pytest.raises(CkanConfigurationException, match="security_grade_table"):
        grades.table()


@pytest.mark.parametrize(("grade", "condition"), [("2", "unconditional"), ("3", "unconditional"),
                                                  ("4", "conditional"), ("4", "unconditional")])
def test_creating_a_dataset_opened_beyond_its_grade_is_refused(department, grade, condition):
    with pytest.raises(tk.ValidationError) as excinfo:
        factories.dataset(department["id"], security_grade=grade, open_condition=condition)

    [message] = excinfo.value.error_dict["open_condition"]
    assert "开放属性" in message and "Open condition" in message
    assert f"grade {grade}" in message.lower()


@pytest.mark.parametrize(("grade", "condition"), [("1", "unconditional"), ("2", "conditional"),
                                                  ("3", "conditional"), ("4", "not-open"), ("1", "not-open")])
def test_a_condition_within_the_grade_is_accepted(department, grade, condition):
    created = factories.dataset(department["id"], security_grade=grade, open_condition=condition)

    assert (created["security_grade"], created["open_condition"]) == (grade, condition)


def test_updating_the_grade_above_the_condition_is_refused_through_the_api(app, department, sysadmin):
    dataset = factories.dataset(department["id"])

    response = app.post("/api/3/action/package_patch", json={"id": dataset["id"], "security_grade": "4"},
                        headers={"Authorization": sysadmin["token"]}, status=409)

    assert "四级（重要）" in response.json["error"]["open_condition"][0]
    assert call_action("package_show", id=dataset["id"])["security_grade"] == "1"


@pytest.mark.ckan_config("ckanext.govdata.security_grade_table", "1:conditional")
def test_a_tightened_table_refuses_grade_1_unconditional(department):
    with pytest.raises(tk.ValidationError):
        factories.dataset(department["id"], security_grade="1", open_condition="unconditional")


def test_importing_an_entry_against_the_table_writes_nothing(department):
    editor = factories.member(department["id"], role="editor")
    content = sheets.workbook([sheets.entry("330600-JTJ-000009", department["title"], 安全分级="四级（重要）")], [])

    report = sheets.import_as(editor, content)

    assert report["written"] is False
    assert any("四级（重要）" in problem["message"] for problem in report["problems"])
    assert sheets.by_code("330600-JTJ-000009") == []


def test_publishing_an_entry_saved_against_the_table_is_refused_and_it_is_listed(app, department, sysadmin):
    dataset = factories.dataset(department["id"])
    factories.uploaded_resource(dataset["id"])
    call_action("govdata_review_decide", _as(sysadmin), id=dataset["id"], decision="unpublish", comment="调整分级")
    _legacy(dataset["id"], security_grade="2", open_condition="unconditional")

    with pytest.raises(tk.ValidationError) as excinfo:
        call_action("govdata_review_decide", _as(sysadmin), id=dataset["id"], decision="publish")
    report = call_action("govdata_catalogue_grade_violations", _as(sysadmin))
    page = app.get("/directory/reports", headers={"Authorization": sysadmin["token"]}).body

    assert "二级（内部）" in excinfo.value.error_dict["open_condition"][0]
    assert report["count"] == 1
    [entry] = report["departments"][0]["entries"]
    assert (entry["id"], entry["security_grade"], entry["open_condition"]) == (dataset["id"], "2", "unconditional")
    assert entry["allowed"] == ["conditional", "not-open"]
    assert "govdata-grade-violations" in page and dataset["title"] in page


def test_the_violations_report_is_for_staff_only(department):
    editor = factories.member(department["id"], role="editor")
    other = factories.member(factories.department()["id"], role="editor")
    dataset = factories.dataset(department["id"])
    _legacy(dataset["id"], security_grade="4")

    assert call_action("govdata_catalogue_grade_violations", _as(editor))["count"] == 1
    assert call_action("govdata_catalogue_grade_violations", _as(other))["count"] == 0
    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_catalogue_grade_violations", _as(factories.user()))
    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_catalogue_grade_violations", {"user": "", "ignore_auth": False})


def test_data_saved_against_the_table_is_served_only_as_its_grade_allows(app, department):
    open_dataset = factories.dataset(department["id"])
    table = factories.datastore_resource(open_dataset["id"])
    conditional = factories.conditional_dataset(department["id"], data_subject_type="none")
    _legacy(open_dataset["id"], security_grade="2")
    _legacy(conditional["id"], security_grade="4")

    anonymous = app.post("/api/3/action/datastore_search", json={"resource_id": table["id"]}, status=403)

    assert anonymous.json["success"] is False
    assert open_condition.condition_of(model.Package.get(open_dataset["id"])) == "conditional"
    with pytest.raises(tk.ValidationError) as excinfo:
        factories.access_request(factories.user(), conditional["id"])
    assert "package_id" in excinfo.value.error_dict


def test_grade_3_requests_without_subject_consent_are_approved_by_the_bureau_only(department):
    dataset = factories.conditional_dataset(department["id"], data_subject_type="none", security_grade="3")
    request = factories.access_request(factories.user(), dataset["id"], subject_id=None, subject_consent=None)
    sysadmin = factories.sysadmin()
    call_action("govdata_access_request_review", _as(sysadmin), id=request["id"], outcome="pass")

    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_access_request_decide", _as(factories.member(department["id"])), id=request["id"],
                    decision="approve")
    approved = call_action("govdata_access_request_decide", _as(sysadmin), id=request["id"], decision="approve")

    assert approved["state"] == "approved"


def test_grade_3_requests_with_the_subjects_consent_are_approved_by_the_department(department):
    dataset = factories.conditional_dataset(department["id"], security_grade="3")
    request = factories.access_request(factories.user(), dataset["id"])
    call_action("govdata_access_request_review", _as(factories.sysadmin()), id=request["id"], outcome="pass")

    approved = call_action("govdata_access_request_decide", _as(factories.member(department["id"])),
                           id=request["id"], decision="approve")

    assert approved["state"] == "approved"
