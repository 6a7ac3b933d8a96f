"""Requests through the action API: validation, idempotency, review, decision, grants, scoping."""
from __future__ import annotations

import datetime as dt
from io import BytesIO
from typing import Any

import pytest
from ckan import model
from ckan.plugins import toolkit as tk
from ckan.tests.helpers import call_action
from werkzeug.datastructures import FileStorage

from ckanext.govdata import calendar
from ckanext.govdata.access.model import AccessRequestEvent
from ckanext.govdata.grants import AccessGrant
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _as(user: dict[str, Any]) -> dict[str, Any]:
    """The context of a call by ``user`` (call_action skips auth unless told not to)."""
    return {"user": user["name"], "ignore_auth": False}


@pytest.fixture
def setting() -> dict[str, Any]:
    department = factories.department()
    return {
        "department": department,
        "dataset": factories.conditional_dataset(department["id"]),
        "applicant": factories.user(),
        "reviewer": factories.member(department["id"]),
    }


def _errors(excinfo: pytest.ExceptionInfo[tk.ValidationError]) -> dict[str, Any]:
    return excinfo.value.error_dict


def test_a_draft_is_submitted_once_however_often_it_is_submitted(setting):
    draft = factories.access_request(setting["applicant"], setting["dataset"]["id"], submit=False)
    first = call_action("govdata_access_request_submit", _as(setting["applicant"]), id=draft["id"])
    second = call_action("govdata_access_request_submit", _as(setting["applicant"]), id=draft["id"])

    submissions = model.Session.query(AccessRequestEvent).filter_by(request_id=draft["id"], action="submitted").count()
    assert draft["state"] == "draft" and draft["due_date"] is None
    assert first["state"] == second["state"] == "submitted"
    assert first["due_date"] == second["due_date"] == calendar.add_workdays(calendar.today(), 3).isoformat()
    assert submissions == 1


def test_the_same_application_twice_is_one_request_and_a_different_one_is_refused(setting):
    first = factories.access_request(setting["applicant"], setting["dataset"]["id"])
    again = factories.access_request(setting["applicant"], setting["dataset"]["id"])
    with pytest.raises(tk.ValidationError) as excinfo:
        factories.access_request(setting["applicant"], setting["dataset"]["id"], purpose="另一用途")

    listed = call_action("govdata_access_request_list", _as(setting["applicant"]))
    assert again["id"] == first["id"]
    assert listed["count"] == 1
    assert "package_id" in _errors(excinfo)


@pytest.mark.parametrize(
    ("condition", "message"),
    [("unconditional", "无需申请"), ("not-open", "不予开放")],
)
def test_only_conditional_datasets_take_requests(condition, message):
    dataset = factories.dataset(factories.department()["id"], open_condition=condition)

    with pytest.raises(tk.ValidationError) as excinfo:
        factories.access_request(factories.user(), dataset["id"])

    (error,) = _errors(excinfo)["package_id"]
    assert message in error and " / " in error


def test_bad_fields_are_reported_one_by_one_in_chinese_and_english(setting):
    today = calendar.today()
    bad = {
        "purpose": "",
        "credit_code": "91330600MA2BC0JX1Y",
        "period_start": (today + dt.timedelta(days=10)).isoformat(),
        "period_end": today.isoformat(),
        "agreement_accepted": False,
    }
    with pytest.raises(tk.ValidationError) as excinfo:
        factories.access_request(setting["applicant"], setting["dataset"]["id"], **bad)
    first_pass = _errors(excinfo)

    with pytest.raises(tk.ValidationError) as excinfo:
        factories.access_request(
            setting["applicant"], setting["dataset"]["id"],
            period_start=(today + dt.timedelta(days=10)).isoformat(), period_end=today.isoformat(),
            resource_ids=["no-such-resource"], fields_needed=["no_such_item"],
        )
    second_pass = _errors(excinfo)

    assert set(first_pass) == {"purpose", "credit_code", "agreement_accepted"}
    assert "申请用途" in first_pass["purpose"][0] and "Purpose" in first_pass["purpose"][0]
    assert "GB 32100" in first_pass["credit_code"][0]
    assert set(second_pass) == {"period_end", "resource_ids", "fields_needed"}


def test_the_api_answers_bad_input_with_409_naming_the_field(app, setting):
    data = factories.request_fields(setting["dataset"]["id"], applicant_type="company")

    response = app.post(
        "/api/3/action/govdata_access_request_create", json=data,
        headers={"Authorization": setting["applicant"]["token"]}, status=409,
    )

    assert "applicant_type" in response.json["error"]
    data["applicant_type"] = "organisation"
    assert app.post("/api/3/action/govdata_access_request_create", json=data, status=403).json["success"] is False


def test_credit_codes_are_checked_with_their_check_character():
    from ckanext.govdata.validators.rules import is_credit_code, is_id_number

    assert is_credit_code("91350100M000100Y43")
    assert is_credit_code(factories.credit_code("91330600MA2BC0KY2"))
    assert not is_credit_code("91350100M000100Y44")
    assert not is_credit_code("91350100M000100I43")
    assert is_id_number("11010519491231002X")
    assert not is_id_number("110105194912310021")


def test_the_full_cycle_grants_the_rows_of_the_data_subject(app, setting):
    request = factories.access_request(setting["applicant"], setting["dataset"]["id"])
    checked = call_action("govdata_access_request_review", _as(factories.sysadmin()), id=request["id"], outcome="pass")
    decided = call_action(
        "govdata_access_request_decide", _as(setting["reviewer"]), id=request["id"], decision="approve"
    )
    table = next(r for r in setting["dataset"]["resources"] if r.get("datastore_active"))

    rows = app.post(
        "/api/3/action/datastore_search", json={"resource_id": table["id"]},
        headers={"Authorization": setting["applicant"]["token"]},
    ).json["result"]["records"]

    assert checked["state"] == "department_review"
    assert decided["state"] == "approved"
    assert decided["grant"]["row_filter"] == {
        "column": "credit_code", "value": request["credit_code"], "document_type": "credit_code",
    }
    assert [event["action"] for event in decided["events"]] == ["created", "submitted", "platform_passed", "approved"]
    # The factory's rows carry made-up codes; the subject's own code matches none of them.
    assert rows == []


def test_an_unfiltered_grant_opens_the_whole_table(app):
    department = factories.department()
    dataset = factories.conditional_dataset(department["id"], data_subject_type="none")
    applicant = factories.user()
    factories.approved_request(applicant, dataset["id"], subject_id=None, subject_consent=None)
    table = next(r for r in dataset["resources"] if r.get("datastore_active"))

    rows = app.post(
        "/api/3/action/datastore_search", json={"resource_id": table["id"]},
        headers={"Authorization": applicant["token"]},
    ).json["result"]["records"]

    assert len(rows) == 2


def test_a_data_subject_request_needs_the_subject_and_consent(setting):
    other_code = factories.credit_code("91330600MA2BC0KY2")
    cases = {
        "subject_id": {"subject_id": None},
        "subject_consent": {"subject_consent": None},
        "applicant_type": {"applicant_type": "person", "credit_code": None, "subject_id": factories.credit_code()},
        "attachments": {"subject_consent": "authorisation", "subject_id": other_code},
    }
    for field, overrides in cases.items():
        with pytest.raises(tk.ValidationError) as excinfo:
            factories.access_request(setting["applicant"], setting["dataset"]["id"], **overrides)
        assert field in _errors(excinfo), (field, _errors(excinfo))

    with pytest.raises(tk.ValidationError) as excinfo:
        factories.access_request(setting["applicant"], setting["dataset"]["id"], subject_id=other_code)
    assert "subject_id" in _errors(excinfo)


def test_a_subject_dataset_without_its_id_column_takes_no_requests():
    dataset = factories.conditional_dataset(factories.department()["id"], subject_id_column=None)

    with pytest.raises(tk.ValidationError) as excinfo:
        factories.access_request(factories.user(), dataset["id"])

    assert "package_id" in _errors(excinfo)


def _pdf(name: str = "authorisation.pdf", content: bytes = b"%PDF-1.4\n%...\n") -> FileStorage:
    return FileStorage(BytesIO(content), filename=name, content_type="application/pdf")


def test_an_authorisation_is_checked_stored_and_listed(setting):
    other_code = factories.credit_code("91330600MA2BC0KY2")
    with pytest.raises(tk.ValidationError) as excinfo:
        factories.access_request(
            setting["applicant"], setting["dataset"]["id"], subject_consent="authorisation", subject_id=other_code,
            attachments=[_pdf("authorisation.pdf", b"MZ\x90\x00 not a pdf")],
        )
    assert "attachments" in _errors(excinfo)
    with pytest.raises(tk.ValidationError) as excinfo:
        factories.access_request(
            setting["applicant"], setting["dataset"]["id"], subject_consent="authorisation", subject_id=other_code,
            attachments=[_pdf("authorisation.exe")],
        )
    assert "attachments" in _errors(excinfo)

    request = factories.access_request(
        setting["applicant"], setting["dataset"]["id"], subject_consent="authorisation", subject_id=other_code,
        attachments=[_pdf()],
    )

    (attachment,) = request["attachments"]
    assert attachment["name"] == "authorisation.pdf" and attachment["mimetype"] == "application/pdf"


def test_applicants_see_only_their_own_requests(setting):
    request = factories.access_request(setting["applicant"], setting["dataset"]["id"])
    stranger = factories.user()

    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_access_request_show", _as(stranger), id=request["id"])
    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_access_request_submit", _as(stranger), id=request["id"])
    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_access_request_withdraw", _as(stranger), id=request["id"])
    assert call_action("govdata_access_request_list", _as(stranger))["count"] == 0
    assert call_action("govdata_access_request_list", _as(stranger), scope="review")["count"] == 0
    assert call_action("govdata_access_request_show", _as(setting["applicant"]), id=request["id"])["id"] == request["id"]


def test_a_department_reviews_only_its_own_requests(setting):
    request = factories.access_request(setting["applicant"], setting["dataset"]["id"])
    call_action("govdata_access_request_review", _as(factories.sysadmin()), id=request["id"], outcome="pass")
    other_reviewer = factories.member(factories.department()["id"])

    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_access_request_decide", _as(other_reviewer), id=request["id"], decision="approve")
    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_access_request_show", _as(other_reviewer), id=request["id"])
    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_access_request_review", _as(setting["reviewer"]), id=request["id"], outcome="pass")
    assert call_action("govdata_access_request_list", _as(other_reviewer), scope="review")["count"] == 0
    queue = call_action("govdata_access_request_list", _as(setting["reviewer"]), scope="review")
    assert [row["id"] for row in queue["results"]] == [request["id"]]


def test_rejection_and_return_need_a_reason_and_a_returned_request_is_resubmitted(setting):
    request = factories.access_request(setting["applicant"], setting["dataset"]["id"])
    sysadmin = _as(factories.sysadmin())
    with pytest.raises(tk.ValidationError) as excinfo:
        call_action("govdata_access_request_review", dict(sysadmin), id=request["id"], outcome="return")
    assert "reason" in _errors(excinfo)

    returned = call_action(
        "govdata_access_request_review", dict(sysadmin), id=request["id"], outcome="return", reason="请补充应用场景"
    )
    fields = factories.request_fields(setting["dataset"]["id"], scenario="企业年度信用自查", submit=True)
    resubmitted = call_action("govdata_access_request_update", _as(setting["applicant"]), id=request["id"], **fields)
    call_action("govdata_access_request_review", dict(sysadmin), id=request["id"], outcome="pass")
    rejected = call_action(
        "govdata_access_request_decide", _as(setting["reviewer"]), id=request["id"], decision="reject",
        reason="用途与数据无关",
    )

    assert returned["state"] == "returned"
    assert resubmitted["state"] == "submitted" and resubmitted["scenario"] == "企业年度信用自查"
    assert rejected["state"] == "rejected" and rejected["grant"] is None
    assert rejected["decision_reason"] == "用途与数据无关"
    assert model.Session.query(AccessGrant).count() == 0


def test_a_request_is_acted_on_only_in_the_right_state(setting):
    request = factories.access_request(setting["applicant"], setting["dataset"]["id"])
    with pytest.raises(tk.ValidationError) as excinfo:
        call_action("govdata_access_request_decide", _as(setting["reviewer"]), id=request["id"], decision="approve")
    assert "state" in _errors(excinfo)

    withdrawn = call_action("govdata_access_request_withdraw", _as(setting["applicant"]), id=request["id"])
    with pytest.raises(tk.ValidationError):
        call_action("govdata_access_request_submit", _as(setting["applicant"]), id=request["id"])
    assert withdrawn["state"] == "withdrawn"


def test_an_approval_that_fails_half_way_leaves_nothing_behind(setting, monkeypatch):
    from ckanext.govdata.access import notify

    request = factories.access_request(setting["applicant"], setting["dataset"]["id"])
    call_action("govdata_access_request_review", _as(factories.sysadmin()), id=request["id"], outcome="pass")

    def broken_notice(*args, **kwargs):
        raise RuntimeError("notice store down")

    monkeypatch.setattr(notify, "notify", broken_notice)
    with pytest.raises(RuntimeError):
        call_action("govdata_access_request_decide", _as(setting["reviewer"]), id=request["id"], decision="approve")

    shown = call_action("govdata_access_request_show", _as(setting["applicant"]), id=request["id"])
    assert shown["state"] == "department_review" and shown["grant"] is None
    assert model.Session.query(AccessGrant).count() == 0


def test_a_revoked_grant_stops_access_at_once(app):
    department = factories.department()
    dataset = factories.conditional_dataset(department["id"], data_subject_type="none")
    applicant = factories.user()
    approved = factories.approved_request(applicant, dataset["id"], subject_id=None, subject_consent=None)
    table = next(r for r in dataset["resources"] if r.get("datastore_active"))
    headers = {"Authorization": applicant["token"]}
    app.post("/api/3/action/datastore_search", json={"resource_id": table["id"]}, headers=headers, status=200)

    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_access_grant_revoke", _as(factories.user()), id=approved["grant"]["id"], reason="违规")
    revoked = call_action(
        "govdata_access_grant_revoke", _as(factories.sysadmin()), id=approved["grant"]["id"], reason="超范围使用"
    )

    app.post("/api/3/action/datastore_search", json={"resource_id": table["id"]}, headers=headers, status=403)
    assert revoked["status"] == "revoked"
    assert call_action("govdata_access_grant_list", _as(applicant)) == []
    history = call_action("govdata_access_request_show", _as(applicant), id=approved["id"])["events"]
    assert history[-1]["action"] == "revoked" and history[-1]["note"] == "超范围使用"


def test_the_applicant_is_told_of_the_decision_in_app(setting):
    request = factories.access_request(setting["applicant"], setting["dataset"]["id"])
    call_action("govdata_access_request_review", _as(factories.sysadmin()), id=request["id"], outcome="pass")
    to_review = call_action("govdata_access_notice_list", _as(setting["reviewer"]))
    call_action("govdata_access_request_decide", _as(setting["reviewer"]), id=request["id"], decision="approve")

    notices = call_action("govdata_access_notice_list", _as(setting["applicant"]))
    call_action("govdata_access_notice_read", _as(setting["applicant"]), id=request["id"])

    assert [n["kind"] for n in to_review] == ["to_review"]
    assert [n["kind"] for n in notices] == ["approved"]
    assert call_action("govdata_access_notice_list", _as(setting["applicant"])) == []
