"""我的数据 through the action API and the HTTP API: the rows about me in every dataset that
declares a subject column, no one else's; authorising a third party, who then gets only my rows
on every data path until the grant is revoked or expires; a wrong row becomes an error report."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from ckan import model
from ckan.tests.helpers import call_action
from freezegun import freeze_time

from ckanext.govdata import calendar
from ckanext.govdata.feedback.model import Correction
from ckanext.govdata.grants import AccessGrant, AccessLog
from ckanext.govdata.subjects.model import SubjectFlag
from ckanext.govdata.validators import subject_keys
from tests.subjects.world import OTHER_PERSON, PERSON, as_user, verify

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _headers(user: dict[str, Any] | None) -> dict[str, str]:
    return {"Authorization": user["token"]} if user else {}


def _search(app, user, resource_id: str, status: int | None = 200, **params: Any):
    return app.post("/api/3/action/datastore_search", json={"resource_id": resource_id, **params},
                    headers=_headers(user), status=status)


def _grant(city, subject, **overrides: Any) -> dict[str, Any]:
    data = {"subject_id": subject["id"], "package_id": city["social"]["dataset"]["id"],
            "grantee": city["third_party"]["name"], "purpose": "办理贷款核验社保缴纳情况",
            "expires_on": (calendar.today() + dt.timedelta(days=30)).isoformat()}
    data.update(overrides)
    return call_action("govdata_subject_grant_create", as_user(city["person"]), **data)


def test_a_verified_person_sees_their_rows_in_every_dataset_about_people_and_nothing_else(city, codes):
    verify(codes, city["person"])
    verify(codes, city["other_person"], OTHER_PERSON)

    tables = call_action("govdata_subject_rows", as_user(city["person"]))
    others = call_action("govdata_subject_rows", as_user(city["other_person"]))

    by_title = {table["package_title"]: table for table in tables}
    assert set(by_title) == {"社保缴纳记录", "公积金缴存记录"}  # the not-open one is left out
    assert sorted(row["amount"] for row in by_title["社保缴纳记录"]["records"]) == [100, 300]
    assert [row["amount"] for row in by_title["公积金缴存记录"]["records"]] == [5]
    assert {row["name"] for table in tables for row in table["records"]} == {"张三"}
    assert {row["name"] for table in others for row in table["records"]} == {"李四"}
    assert PERSON not in str(tables) and OTHER_PERSON not in str(others)
    assert {row["id_number"] for table in tables for row in table["records"]} == {subject_keys.mask(PERSON)}


def test_each_table_read_is_one_audit_entry_keyed_and_masked(city, codes):
    verify(codes, city["person"])

    call_action("govdata_subject_rows", as_user(city["person"]))

    entries = model.Session.query(AccessLog).filter(AccessLog.channel == "mydata").all()
    assert len(entries) == 2
    assert {entry.subject_key for entry in entries} == {subject_keys.key(PERSON)}
    assert {entry.subject_masked for entry in entries} == {subject_keys.mask(PERSON)}
    assert {entry.organization_id for entry in entries} == {city["department"]["id"]}
    assert sorted(entry.amount for entry in entries) == [1, 2]


def test_nobody_else_reads_my_rows_through_the_subject_actions(city, codes):
    mine = verify(codes, city["person"])

    for intruder in (None, city["outsider"], city["editor"]):
        for action, data in (("govdata_subject_rows", {"subject_id": mine["id"]}),
                             ("govdata_subject_audit_list", {"subject_id": mine["id"]}),
                             ("govdata_subject_grant_list", {"subject_id": mine["id"]})):
            with pytest.raises(Exception) as refused:
                call_action(action, as_user(intruder), **data)
            assert type(refused.value).__name__ == "NotAuthorized"
    assert call_action("govdata_subject_rows", as_user(city["outsider"])) == []


def test_an_authorised_third_party_sees_only_my_rows_until_i_revoke(app, city, codes):
    subject = verify(codes, city["person"])
    verify(codes, city["other_person"], OTHER_PERSON)
    table = city["social"]["table"]["id"]
    before = _search(app, city["third_party"], table, status=403)

    grant = _grant(city, subject)
    rows = _search(app, city["third_party"], table).json["result"]["records"]
    asked_for_another = _search(app, city["third_party"], table,
                                filters={"id_number": OTHER_PERSON}).json["result"]["records"]
    other_dataset = _search(app, city["third_party"], city["housing"]["table"]["id"], status=403)
    outsider = _search(app, city["outsider"], table, status=403)
    dump = app.get(f"/datastore/dump/{table}", headers=_headers(city["third_party"]))

    assert before.status_code == 403
    assert grant["row_filter"] == {"column": "id_number"} and PERSON not in str(grant)
    assert sorted(row["amount"] for row in rows) == [100, 300]
    assert {row["id_number"] for row in asked_for_another} <= {PERSON}
    assert other_dataset.status_code == outsider.status_code == 403
    assert dump.status_code == 200 and OTHER_PERSON not in dump.get_data(as_text=True)
    assert "李四" not in dump.get_data(as_text=True) and "张三" in dump.get_data(as_text=True)
    logged = model.Session.query(AccessLog).filter(AccessLog.grant_id == grant["id"]).all()
    assert {entry.channel for entry in logged} == {"datastore_search", "dump"}
    assert {entry.subject_masked for entry in logged} == {subject_keys.mask(PERSON)}

    listed = call_action("govdata_subject_grant_list", as_user(city["person"]))
    call_action("govdata_subject_grant_revoke", as_user(city["person"]), id=grant["id"])

    assert [item["id"] for item in listed] == [grant["id"]] and listed[0]["purpose"] == "办理贷款核验社保缴纳情况"
    _search(app, city["third_party"], table, status=403)
    assert app.get(f"/datastore/dump/{table}", headers=_headers(city["third_party"]), status=None).status_code == 403
    revoked = call_action("govdata_subject_grant_list", as_user(city["person"]), include_inactive=True)
    assert revoked[0]["status"] == "revoked"


def test_a_grant_ends_when_it_expires(app, city, codes):
    subject = verify(codes, city["person"])
    grant = _grant(city, subject, expires_on=(calendar.today() + dt.timedelta(days=2)).isoformat())

    with freeze_time(calendar.utcnow() + dt.timedelta(days=4)):
        response = _search(app, city["third_party"], city["social"]["table"]["id"], status=403)

    assert response.status_code == 403
    assert model.Session.get(AccessGrant, grant["id"]).source == f"subject:{subject['id']}"


def test_only_the_subject_revokes_and_bad_grants_are_refused_naming_the_field(city, codes):
    subject = verify(codes, city["person"])
    other = verify(codes, city["other_person"], OTHER_PERSON)
    grant = _grant(city, subject)

    with pytest.raises(Exception) as not_mine:
        call_action("govdata_subject_grant_revoke", as_user(city["other_person"]), id=grant["id"])
    with pytest.raises(Exception) as not_my_subject:
        _grant(city, other)
    refusals = {}
    for field, overrides in {
        "grantee": {"grantee": "no-such-user"},
        "package_id": {"package_id": city["closed"]["dataset"]["id"]},
        "expires_on": {"expires_on": (calendar.today() + dt.timedelta(days=4000)).isoformat()},
        "starts_on": {"starts_on": "2020-01-01"},
    }.items():
        with pytest.raises(Exception) as refused:
            _grant(city, subject, **overrides)
        refusals[field] = refused.value.error_dict

    assert type(not_mine.value).__name__ == type(not_my_subject.value).__name__ == "NotAuthorized"
    assert all(field in errors for field, errors in refusals.items()), refusals


def test_a_flagged_row_becomes_an_error_report_due_in_two_working_days(city, codes):
    subject = verify(codes, city["person"])
    table = next(t for t in call_action("govdata_subject_rows", as_user(city["person"]))
                 if t["package_title"] == "社保缴纳记录")
    row_id = table["records"][0]["_id"]
    others_row = next(r["_id"] for r in call_action("datastore_search", {"ignore_auth": True},
                                                    resource_id=table["resource_id"])["records"]
                      if r["name"] == "李四")

    with freeze_time("2026-09-30 02:00:00"):
        report = call_action("govdata_subject_row_flag", as_user(city["person"]), subject_id=subject["id"],
                             resource_id=table["resource_id"], row=row_id, description="缴费金额有误")
    with pytest.raises(Exception) as not_mine:
        call_action("govdata_subject_row_flag", as_user(city["person"]), subject_id=subject["id"],
                    resource_id=table["resource_id"], row=others_row, description="不是我的行")

    assert report["state"] == "submitted" and report["due_date"] == "2026-10-09"
    assert report["organization_id"] == city["department"]["id"] and PERSON not in str(report)
    assert model.Session.get(Correction, report["id"]).resource_id == table["resource_id"]
    assert model.Session.query(SubjectFlag).one().correction_id == report["id"]
    assert "row" in not_mine.value.error_dict
    queue = call_action("govdata_correction_list", as_user(city["editor"]), scope="review")
    assert [item["id"] for item in queue["results"]] == [report["id"]]
