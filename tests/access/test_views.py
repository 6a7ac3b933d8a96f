"""The pages of conditional opening, in Chinese, over HTTP."""
from __future__ import annotations

import io
from typing import Any

import pytest
from ckan.tests.helpers import call_action
from openpyxl import load_workbook

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _headers(user: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": user["token"]}


@pytest.fixture
def setting() -> dict[str, Any]:
    department = factories.department()
    dataset = factories.conditional_dataset(department["id"], data_subject_type="none")
    return {
        "department": department,
        "dataset": dataset,
        "applicant": factories.user(),
        "reviewer": factories.member(department["id"]),
        "sysadmin": factories.sysadmin(),
    }


def _form(setting: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    fields = factories.request_fields(setting["dataset"]["id"], subject_id="", subject_consent="")
    fields.pop("package_id")
    fields.pop("fields_needed")
    fields["agreement_accepted"] = "true"
    fields.update(overrides)
    return {key: value for key, value in fields.items() if value not in ("", None)}


def test_the_dataset_page_offers_the_application_and_hides_downloads(app, setting):
    page = app.get(f"/dataset/{setting['dataset']['name']}", headers=_headers(setting["applicant"])).body

    assert "申请数据" in page and f"/dataset/{setting['dataset']['name']}/apply" in page
    assert "依申请" in page
    assert "/download/" not in page


def test_an_unconditional_dataset_page_has_no_application(app):
    dataset = factories.dataset(factories.department()["id"])

    page = app.get(f"/dataset/{dataset['name']}").body

    assert "govdata-access-apply" not in page


def test_the_form_asks_anonymous_visitors_to_sign_in(app, setting):
    response = app.get(f"/dataset/{setting['dataset']['name']}/apply", follow_redirects=False)

    assert response.status_code == 302 and "/user/login" in response.headers["Location"]


def test_applying_through_the_form_shows_the_request_with_its_deadline(app, setting):
    url = f"/dataset/{setting['dataset']['name']}/apply"
    form = app.get(url, headers=_headers(setting["applicant"])).body

    response = app.post(url, data=_form(setting), headers=_headers(setting["applicant"]))

    assert "申请用途" in form and "数据使用协议" in form
    assert "待平台审核" in response.body and "截止日期" in response.body
    assert "3 个工作日" in response.body


def test_a_bad_form_comes_back_with_messages_per_field(app, setting):
    url = f"/dataset/{setting['dataset']['name']}/apply"
    data = _form(setting, credit_code="91330600MA2BC0JX1Y")
    data.pop("agreement_accepted")
    data.pop("purpose")

    page = app.post(url, data=data, headers=_headers(setting["applicant"])).body

    assert 'data-field="credit_code"' in page and "GB 32100" in page
    assert 'data-field="purpose"' in page and "申请用途" in page
    assert 'data-field="agreement_accepted"' in page
    assert call_action("govdata_access_request_list", {"user": setting["applicant"]["name"]})["count"] == 0


def test_my_requests_lists_only_mine(app, setting):
    mine = factories.access_request(setting["applicant"], setting["dataset"]["id"], subject_id=None,
                                    subject_consent=None)
    other = factories.access_request(factories.user(), setting["dataset"]["id"], subject_id=None,
                                     subject_consent=None)

    page = app.get("/access/requests", headers=_headers(setting["applicant"])).body

    assert mine["id"] in page and other["id"] not in page
    assert "我的申请" in page and "我的授权" in page


def test_staff_check_and_approve_in_bulk_and_the_grantee_downloads(app, setting):
    requests = [
        factories.access_request(factories.user(), setting["dataset"]["id"], subject_id=None, subject_consent=None)
        for _ in range(2)
    ]
    ids = [request["id"] for request in requests]

    app.post("/access/review", data={"request_ids": ids, "operation": "pass"}, headers=_headers(setting["sysadmin"]))
    queue = app.get("/access/review", headers=_headers(setting["reviewer"])).body
    app.post("/access/review", data={"request_ids": ids, "operation": "approve"}, headers=_headers(setting["reviewer"]))

    states = {call_action("govdata_access_request_show", id=i)["state"] for i in ids}
    assert all(request_id in queue for request_id in ids) and "待部门审批" in queue
    assert states == {"approved"}


def test_a_bulk_rejection_without_a_reason_changes_nothing(app, setting):
    request = factories.access_request(setting["applicant"], setting["dataset"]["id"], subject_id=None,
                                       subject_consent=None)

    page = app.post(
        "/access/review", data={"request_ids": [request["id"]], "operation": "reject"},
        headers=_headers(setting["sysadmin"]),
    ).body

    assert "理由" in page
    assert call_action("govdata_access_request_show", id=request["id"])["state"] == "submitted"


def test_the_review_queue_is_for_reviewers_only(app, setting):
    app.get("/access/review", headers=_headers(setting["applicant"]), status=403)
    app.get("/access/ledger", headers=_headers(setting["applicant"]), status=403)


def test_the_request_page_shows_the_history_and_the_decision_form(app, setting):
    request = factories.access_request(setting["applicant"], setting["dataset"]["id"], subject_id=None,
                                       subject_consent=None)
    call_action("govdata_access_request_review", {"user": setting["sysadmin"]["name"]}, id=request["id"],
                outcome="pass")

    as_reviewer = app.get(f"/access/request/{request['id']}", headers=_headers(setting["reviewer"])).body
    app.post(f"/access/request/{request['id']}/act", data={"operation": "return", "reason": "请补充用途说明"},
             headers=_headers(setting["reviewer"]))
    as_applicant = app.get(f"/access/request/{request['id']}", headers=_headers(setting["applicant"])).body
    app.get(f"/access/request/{request['id']}", headers=_headers(factories.user()), status=404)

    assert "部门审批" in as_reviewer and 'value="approve"' in as_reviewer
    assert "通过平台审核" in as_applicant and "请补充用途说明" in as_applicant
    assert "修改后重新提交" in as_applicant and 'value="approve"' not in as_applicant


def test_attachments_are_served_to_the_applicant_and_reviewers_only(app):
    department = factories.department()
    dataset = factories.conditional_dataset(department["id"])
    applicant = factories.user()
    reviewer = factories.member(department["id"])
    from io import BytesIO

    from werkzeug.datastructures import FileStorage

    request = factories.access_request(
        applicant, dataset["id"], subject_consent="authorisation", subject_id=factories.credit_code("91330600MA2BC0KY2"),
        attachments=[FileStorage(BytesIO(b"%PDF-1.4\nsigned\n"), filename="授权书.pdf")],
    )
    call_action("govdata_access_request_review", {"user": factories.sysadmin()["name"]}, id=request["id"],
                outcome="pass")
    url = f"/access/request/{request['id']}/attachment/{request['attachments'][0]['id']}"

    assert app.get(url, headers=_headers(applicant)).data.startswith(b"%PDF")
    assert app.get(url, headers=_headers(reviewer)).data.startswith(b"%PDF")
    app.get(url, headers=_headers(factories.user()), status=404)


def test_the_ledger_page_filters_and_exports_to_excel(app, setting):
    request = factories.access_request(setting["applicant"], setting["dataset"]["id"], subject_id=None,
                                       subject_consent=None)
    other_department = factories.department()

    page = app.get("/access/ledger", headers=_headers(setting["reviewer"])).body
    filtered = app.get("/access/ledger", query_string={"organization_id": other_department["id"]},
                       headers=_headers(setting["sysadmin"])).body
    exported = app.get("/access/ledger/export", query_string={"format": "xlsx"}, headers=_headers(setting["reviewer"]))

    book = load_workbook(io.BytesIO(exported.data))
    assert request["id"] in page and "台账" in page
    assert request["id"] not in filtered
    assert exported.headers["Content-Type"].startswith("application/vnd.openxmlformats")
    assert book.worksheets[0]["A1"].value == "申请编号" and book.worksheets[0]["A2"].value == request["id"]


def test_the_request_page_shows_how_the_grantee_used_the_data(app, setting):
    approved = factories.approved_request(setting["applicant"], setting["dataset"]["id"], subject_id=None,
                                          subject_consent=None)
    upload = next(r for r in setting["dataset"]["resources"] if r.get("url_type") == "upload")
    table = next(r for r in setting["dataset"]["resources"] if r.get("datastore_active"))
    headers = _headers(setting["applicant"])
    app.get(f"/dataset/{setting['dataset']['id']}/resource/{upload['id']}/download/data.csv", headers=headers)
    for _ in range(2):
        app.post("/api/3/action/datastore_search", json={"resource_id": table["id"]}, headers=headers)

    page = app.get(f"/access/request/{approved['id']}", headers=_headers(setting["reviewer"])).body

    assert "数据使用情况" in page
    assert "文件下载: 1 次" in page
    assert "数据接口查询: 2 次，共 4 条" in page
