"""The audit trail: every read of conditional or subject data, for the department whose data was
read (the bureau sees all), filterable and exported with subjects masked; the subject sees the
trail of their own rows; no entry can be changed or deleted, not even by SQL."""
from __future__ import annotations

import base64
import datetime as dt
import io
from typing import Any

import pytest
import sqlalchemy as sa
from ckan import model
from ckan.tests.helpers import call_action
from openpyxl import load_workbook

from ckanext.govdata import calendar
from tests.subjects.world import OTHER_PERSON, PERSON, as_user, verify

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


@pytest.fixture
def trail(app, city, codes) -> dict[str, Any]:
    """The person reads 我的数据; a third party they authorised reads the social table; another
    person reads theirs; the enterprise dataset's grantee reads rows of another department."""
    subject = verify(codes, city["person"])
    verify(codes, city["other_person"], OTHER_PERSON)
    call_action("govdata_subject_rows", as_user(city["person"]))
    call_action("govdata_subject_rows", as_user(city["other_person"]))
    call_action("govdata_subject_grant_create", as_user(city["person"]), subject_id=subject["id"],
                package_id=city["social"]["dataset"]["id"], grantee=city["third_party"]["name"], purpose="核验",
                expires_on=(calendar.today() + dt.timedelta(days=10)).isoformat())
    app.post("/api/3/action/datastore_search", json={"resource_id": city["social"]["table"]["id"]},
             headers={"Authorization": city["third_party"]["token"]})
    return {"subject": subject}


def test_a_department_sees_its_datasets_reads_the_bureau_all_others_nothing(city, trail):
    from tests import factories

    factories.grant(city["outsider"]["id"], city["enterprise_data"]["id"],
                    row_filter={"column": "credit_code", "value": "91330600MA2BC0JX1X"})
    table = next(r for r in city["enterprise_data"]["resources"] if r.get("datastore_active"))
    call_action("datastore_search", {"user": city["outsider"]["name"], "ignore_auth": False},
                resource_id=table["id"])

    department = call_action("govdata_audit_list", as_user(city["editor"]))
    other = call_action("govdata_audit_list", as_user(city["other_staff"]))
    bureau = call_action("govdata_audit_list", as_user(city["sysadmin"]))

    assert department["count"] == 5  # four 我的数据 table reads and the third party's search
    assert {entry["organization_id"] for entry in department["results"]} == {city["department"]["id"]}
    assert other["count"] == 1 and other["results"][0]["user_name"] == city["outsider"]["name"]
    assert bureau["count"] == 6
    for intruder in (None, city["outsider"], city["third_party"]):
        with pytest.raises(Exception) as refused:
            call_action("govdata_audit_list", as_user(intruder))
        assert type(refused.value).__name__ == "NotAuthorized"


def test_filters_by_dataset_user_subject_and_path(city, trail):
    editor = as_user(city["editor"])

    by_user = call_action("govdata_audit_list", editor, user=city["third_party"]["name"])
    by_subject = call_action("govdata_audit_list", editor, subject=PERSON.lower())
    by_path = call_action("govdata_audit_list", editor, channel="mydata", package_id=city["housing"]["dataset"]["name"])
    by_department = call_action("govdata_audit_list", as_user(city["sysadmin"]),
                                organization_id=city["department"]["name"])

    assert [entry["channel"] for entry in by_user["results"]] == ["datastore_search"]
    assert by_user["results"][0]["grant_id"] and by_user["results"][0]["subject_masked"] == "3306********" + PERSON[-4:]
    assert by_subject["count"] == 3 and PERSON not in str(by_subject)
    assert by_path["count"] == 2 and by_department["count"] == 5


def test_staff_reads_are_in_the_trail_by_their_basis_and_not_in_the_subjects(city, trail):
    table = city["social"]["table"]["id"]
    call_action("datastore_search", {"user": city["editor"]["name"], "ignore_auth": False}, resource_id=table)
    call_action("datastore_search", {"user": city["sysadmin"]["name"], "ignore_auth": False}, resource_id=table)
    editor = as_user(city["editor"])

    bases = {basis: call_action("govdata_audit_list", editor, basis=basis)["results"]
             for basis in ("grant", "department", "sysadmin", "subject")}

    assert [entry["user_name"] for entry in bases["department"]] == [city["editor"]["name"]]
    assert [entry["user_name"] for entry in bases["sysadmin"]] == [city["sysadmin"]["name"]]
    assert [entry["user_name"] for entry in bases["grant"]] == [city["third_party"]["name"]]
    assert len(bases["subject"]) == 4 and {entry["channel"] for entry in bases["subject"]} == {"mydata"}
    assert bases["department"][0]["grant_id"] is None and bases["department"][0]["subject_masked"] is None
    mine = call_action("govdata_subject_audit_list", as_user(city["person"]))
    assert city["editor"]["name"] not in {entry["user_name"] for entry in mine["results"]}
    page = call_action("govdata_audit_export", editor, format="csv", basis="department")
    assert "The department's staff" in base64.b64decode(page["content_base64"]).decode("utf-8-sig")


def test_the_subject_sees_the_trail_of_their_own_rows_only(city, trail):
    mine = call_action("govdata_subject_audit_list", as_user(city["person"]))
    theirs = call_action("govdata_subject_audit_list", as_user(city["other_person"]))

    assert sorted(entry["user_name"] for entry in mine["results"]) == sorted(
        [city["person"]["name"]] * 2 + [city["third_party"]["name"]])
    assert {entry["subject_masked"] for entry in theirs["results"]} == {"3306********" + OTHER_PERSON[-4:]}


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_the_export_carries_the_filtered_trail_with_subjects_masked(city, trail, file_format):
    exported = call_action("govdata_audit_export", as_user(city["editor"]), format=file_format,
                           user=city["third_party"]["name"])
    content = base64.b64decode(exported["content_base64"])
    if file_format == "xlsx":
        rows = [[cell.value for cell in row] for row in load_workbook(io.BytesIO(content)).active.iter_rows()]
        text = str(rows)
    else:
        text = content.decode("utf-8-sig")
        rows = text.strip().splitlines()

    assert exported["count"] == 1 and len(rows) == 2
    assert "3306********" + PERSON[-4:] in text and PERSON not in text and OTHER_PERSON not in text
    assert "审计" not in exported["filename"] and exported["filename"].endswith(file_format)
    with pytest.raises(Exception) as refused:
        call_action("govdata_audit_export", as_user(city["outsider"]))
    assert type(refused.value).__name__ == "NotAuthorized"


def test_entries_cannot_be_changed_or_deleted(city, trail):
    for statement in ("UPDATE govdata_access_log SET user_id = 'someone'", "DELETE FROM govdata_access_log"):
        with pytest.raises(sa.exc.DBAPIError, match="append-only"), model.meta.engine.begin() as connection:
            connection.execute(sa.text(statement))
    model.Session.remove()
    assert call_action("govdata_audit_list", as_user(city["sysadmin"]))["count"] == 5
