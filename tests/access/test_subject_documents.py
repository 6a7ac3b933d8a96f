"""A request's data subject named by any identity document: checked by its type, stored whole for the
row filter, and masked in every answer, page and export that shows it; never logged."""
from __future__ import annotations

import base64
import logging
from typing import Any

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests.helpers import call_action

from ckanext.govdata.access.model import AccessRequest
from ckanext.govdata.validators import rules
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

RESIDENT_ID = "33010219900307123" + rules.id_number_check_character("33010219900307123")
PERMIT = "H12345678"


def _as(user: dict[str, Any]) -> dict[str, Any]:
    return {"user": user["name"], "ignore_auth": False}


@pytest.fixture
def person_data() -> dict[str, Any]:
    department = factories.department()
    dataset = factories.dataset(
        department["id"], open_condition="conditional", data_subject_type="person", subject_id_column="holder_id",
    )
    table = factories.datastore_resource(dataset["id"], records=[
        {"holder_id": PERMIT, "benefit": "高龄津贴"},
        {"holder_id": RESIDENT_ID, "benefit": "低保"},
    ])
    return {"department": department, "dataset": dataset, "table": table, "applicant": factories.user(),
            "reviewer": factories.member(department["id"])}


def _person_request(setting: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    fields = {"applicant_type": "person", "credit_code": None, "subject_document_type": "hk_macao_travel_permit",
              "subject_id": "h 1234 5678"}
    fields.update(overrides)
    return factories.access_request(setting["applicant"], setting["dataset"]["id"], **fields)


def test_a_hong_kong_resident_applies_for_their_own_rows_and_sees_them_masked(app, person_data, caplog):
    caplog.set_level(logging.DEBUG)
    request = _person_request(person_data)
    staff = _as(factories.sysadmin())
    call_action("govdata_access_request_review", dict(staff), id=request["id"], outcome="pass")
    decided = call_action("govdata_access_request_decide", dict(staff), id=request["id"], decision="approve")
    rows = app.post(
        "/api/3/action/datastore_search", json={"resource_id": person_data["table"]["id"]},
        headers={"Authorization": person_data["applicant"]["token"]},
    ).json["result"]["records"]

    stored = model.Session.get(AccessRequest, request["id"])
    assert stored.subject_id == PERMIT and stored.subject_document_type == "hk_macao_travel_permit"
    assert request["subject_id"] == decided["subject_id"] == "H********5678"
    assert decided["grant"]["row_filter"]["value"] == "H********5678"
    assert [row["holder_id"] for row in rows] == [PERMIT]
    listed = call_action("govdata_access_grant_list", _as(person_data["applicant"]), scope="mine")
    assert PERMIT not in str(listed) and PERMIT not in str(decided)
    assert PERMIT not in caplog.text


def test_every_page_and_export_shows_the_number_masked(app, person_data):
    request = _person_request(person_data, subject_document_type="resident_id", subject_id=RESIDENT_ID)
    sysadmin = factories.sysadmin()
    call_action("govdata_access_request_review", _as(sysadmin), id=request["id"], outcome="pass")
    call_action("govdata_access_request_decide", _as(sysadmin), id=request["id"], decision="approve")
    headers = {"Authorization": sysadmin["token"]}

    pages = [
        app.get(f"/access/request/{request['id']}", headers=headers).body,
        app.get(f"/access/request/{request['id']}",
                headers={"Authorization": person_data["applicant"]["token"]}).body,
        app.get(f"/dataset/{person_data['dataset']['name']}",
                headers={"Authorization": person_data["applicant"]["token"]}).body,
        app.get("/api/3/action/govdata_access_request_list?scope=review", headers=headers).body,
        app.get(f"/api/3/action/govdata_access_request_show?id={request['id']}", headers=headers).body,
    ]
    exports = [
        base64.b64decode(call_action("govdata_access_ledger_export", _as(sysadmin), format=file_format)
                         ["content_base64"])
        for file_format in ("csv", "xlsx")
    ]

    for page in pages:
        assert RESIDENT_ID not in page
    assert "3301********" + RESIDENT_ID[-4:] in pages[0]
    assert "居民身份证" in pages[0]
    for content in exports:
        assert RESIDENT_ID.encode() not in content


@pytest.mark.parametrize(("overrides", "field", "names"), [
    ({"subject_document_type": "resident_id", "subject_id": RESIDENT_ID[:-1] + ("1" if RESIDENT_ID[-1] != "1" else "2")}, "subject_id", "居民身份证"),
    ({"subject_document_type": "hk_macao_travel_permit", "subject_id": "K12345678"}, "subject_id",
     "港澳居民来往内地通行证"),
    ({"subject_document_type": "foreign_passport", "subject_id": "US12"}, "subject_id", "外国护照"),
    ({"subject_document_type": "credit_code", "subject_id": factories.credit_code()}, "subject_document_type",
     "证件"),
    ({"subject_document_type": "driving_licence"}, "subject_document_type", "Data subject's identity document"),
])
def test_a_wrong_document_is_refused_naming_its_type(person_data, overrides, field, names):
    with pytest.raises(tk.ValidationError) as excinfo:
        _person_request(person_data, **overrides)

    message = " ".join(excinfo.value.error_dict[field])
    assert names in message
    assert str(overrides.get("subject_id", "")) not in message or not overrides.get("subject_id")


def test_the_api_answers_a_wrong_document_with_409(app, person_data):
    data = factories.request_fields(
        person_data["dataset"]["id"], applicant_type="person", credit_code=None,
        subject_document_type="taiwan_travel_permit", subject_id="T123",
    )

    response = app.post("/api/3/action/govdata_access_request_create", json=data,
                        headers={"Authorization": person_data["applicant"]["token"]}, status=409)

    assert "台湾居民来往大陆通行证" in response.json["error"]["subject_id"][0]


def test_an_update_that_sends_back_the_masked_number_keeps_the_stored_one(person_data):
    draft = _person_request(person_data, submit=False)

    updated = call_action(
        "govdata_access_request_update", _as(person_data["applicant"]), id=draft["id"],
        **factories.request_fields(person_data["dataset"]["id"], applicant_type="person", credit_code=None,
                                   subject_document_type="hk_macao_travel_permit", subject_id=draft["subject_id"],
                                   purpose="核对本人津贴记录"),
    )

    assert updated["subject_id"] == "H********5678"
    assert model.Session.get(AccessRequest, draft["id"]).subject_id == PERMIT


def test_a_dataset_without_subject_rows_keeps_no_document(person_data):
    dataset = factories.conditional_dataset(person_data["department"]["id"], data_subject_type="none")

    request = factories.access_request(person_data["applicant"], dataset["id"], subject_id=RESIDENT_ID)

    stored = model.Session.get(AccessRequest, request["id"])
    assert stored.subject_id is None and stored.subject_document_type is None


def test_the_application_form_offers_the_person_documents(app, person_data):
    page = app.get(f"/dataset/{person_data['dataset']['name']}/apply",
                   headers={"Authorization": person_data["applicant"]["token"]}).body

    assert 'name="subject_document_type"' in page
    for label in ("居民身份证", "外国人永久居留身份证", "港澳居民来往内地通行证", "台湾居民来往大陆通行证", "外国护照"):
        assert label in page
    assert "统一社会信用代码</option>" not in page
