"""The feedback pages over HTTP, in Chinese (and English): the dataset page's ratings and report
link, the report form, a report's page, the reporter's list and the departments' queue."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests.helpers import call_action

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _headers(user: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": user["token"]}


@pytest.fixture
def setting() -> dict[str, Any]:
    department = factories.department()
    dataset = factories.dataset(department["id"])
    return {
        "department": department,
        "dataset": dataset,
        "resource": factories.uploaded_resource(dataset["id"]),
        "reporter": factories.user(),
        "editor": factories.member(department["id"], "editor"),
        "other_staff": factories.member(factories.department()["id"], "admin"),
        "other_user": factories.user(),
        "sysadmin": factories.sysadmin(),
    }


def _report(app: Any, setting: dict[str, Any], **form: Any) -> Any:
    data = {"resource_id": setting["resource"]["id"], "location": "第12行 联系电话", "description": "电话号码少了一位"}
    data.update(form)
    return app.post(f"/feedback/{setting['dataset']['name']}/report", data=data,
                    headers=_headers(setting["reporter"]))


def test_the_dataset_page_shows_the_counts_the_report_link_and_the_rating_control(app, setting):
    call_action("govdata_rating_create", {"user": setting["other_user"]["name"]}, package_id=setting["dataset"]["id"],
                value="bad", reason="缺少字段说明")
    url = f"/dataset/{setting['dataset']['name']}"

    anonymous = app.get(url).body
    signed_in = app.get(url, headers=_headers(setting["reporter"])).body
    english = app.get(f"/en{url}").body

    assert 'data-good="0"' in anonymous and 'data-bad="1"' in anonymous
    assert "好评 0" in anonymous and "差评 1" in anonymous and "我要纠错" in anonymous
    assert "govdata-rate-form" not in anonymous and "缺少字段说明" not in anonymous
    assert "govdata-rate-form" in signed_in
    assert "Report an error" in english and "Good 0" in english


def test_drafts_have_no_feedback_and_their_forms_are_not_found(app, setting):
    draft = factories.dataset(setting["department"]["id"], private=True)

    page = app.get(f"/dataset/{draft['name']}", headers=_headers(setting["editor"])).body
    form = app.get(f"/feedback/{draft['name']}/report", headers=_headers(setting["editor"]))
    unknown = app.get("/feedback/no-such-dataset/report", headers=_headers(setting["reporter"]))
    rate = app.post(f"/feedback/{draft['name']}/rate", data={"value": "good"}, headers=_headers(setting["reporter"]))

    assert "govdata-feedback" not in page
    assert form.status_code == unknown.status_code == rate.status_code == 404


def test_the_report_form_asks_anonymous_visitors_to_sign_in(app, setting):
    response = app.get(f"/feedback/{setting['dataset']['name']}/report", follow_redirects=False)

    assert response.status_code == 302 and "/user/login" in response.headers["Location"]


def test_a_report_without_a_description_is_refused_naming_the_field(app, setting):
    page = _report(app, setting, description="  ").body

    assert 'data-field="description"' in page and "错误描述" in page and "Error description" in page
    assert call_action("govdata_correction_list", {"user": setting["reporter"]["name"]})["count"] == 0


def test_a_report_goes_through_the_queue_and_the_reporter_reads_the_answer(app, setting):
    reported = _report(app, setting)
    correction = call_action("govdata_correction_list", {"user": setting["reporter"]["name"]})["results"][0]
    page_url = f"/feedback/correction/{correction['id']}"

    reporter_page = app.get(page_url, headers=_headers(setting["reporter"])).body
    editor_page = app.get(page_url, headers=_headers(setting["editor"])).body
    outsider = app.get(page_url, headers=_headers(setting["other_user"]))
    queue = app.get("/feedback/queue", headers=_headers(setting["editor"])).body
    other_queue = app.get("/feedback/queue", headers=_headers(setting["other_staff"])).body
    plain_queue = app.get("/feedback/queue", headers=_headers(setting["other_user"]))
    refused = app.post(f"{page_url}/act", data={"operation": "reject", "note": "无误"},
                       headers=_headers(setting["other_staff"]))
    app.post(f"{page_url}/act", data={"operation": "fix", "note": "已补全电话号码", "next_page": "queue",
                                      "fixed_resource_id": setting["resource"]["id"]},
             headers=_headers(setting["editor"]))
    mine = app.get("/dashboard/feedback", headers=_headers(setting["reporter"])).body
    answered = app.get(page_url, headers=_headers(setting["reporter"])).body

    assert "电话号码少了一位" in reported.body and "待提供单位处理" in reported.body
    assert "govdata-correction-withdraw" in reporter_page and "govdata-correction-fix" not in reporter_page
    assert "govdata-correction-fix" in editor_page and "govdata-correction-reject" in editor_page
    assert outsider.status_code == 404
    assert correction["id"] in queue and correction["id"] not in other_queue
    assert plain_queue.status_code == 403 and refused.status_code == 403
    assert "您的纠错已更正" in mine and "已更正" in mine
    assert "已补全电话号码" in answered and "govdata-correction-version" in answered
    assert "govdata-correction-withdraw" not in answered


def test_rating_from_the_dataset_page(app, setting):
    url = f"/feedback/{setting['dataset']['name']}/rate"

    refused = app.post(url, data={"value": "bad"}, headers=_headers(setting["reporter"])).body
    app.post(url, data={"value": "bad", "reason": "缺少单位"}, headers=_headers(setting["reporter"]))
    queue = app.get("/feedback/queue", headers=_headers(setting["editor"])).body
    item = call_action("govdata_rectification_list", {"user": setting["editor"]["name"]}, scope="review")["results"][0]
    app.post(f"/feedback/rectification/{item['id']}/rectify", data={"note": "已补充计量单位"},
             headers=_headers(setting["editor"]))
    page = app.get(f"/dataset/{setting['dataset']['name']}", headers=_headers(setting["reporter"])).body
    mine = app.get("/dashboard/feedback", headers=_headers(setting["reporter"])).body

    assert "差评须填写理由" in refused
    assert "缺少单位" in queue and "govdata-rectify" in queue
    assert 'data-bad="1"' in page and "您的评价" in page
    assert "已补充计量单位" in mine and "已整改" in mine


def test_the_report_form_is_limited_per_network_address(app, setting, ckan_config, monkeypatch):
    monkeypatch.setitem(ckan_config, "ckanext.govdata.feedback.report_limit_per_address", "2")
    for reporter in (setting["reporter"], setting["other_user"]):
        _report(app, setting | {"reporter": reporter})

    third = _report(app, setting | {"reporter": factories.user()}).body

    assert 'data-field="rate_limit"' in third and "纠错提交过于频繁" in third and "Too many error reports" in third
    assert call_action("govdata_correction_list", {"user": setting["sysadmin"]["name"]}, scope="review")["count"] == 2


def test_notices_are_read_on_the_report_page_or_all_at_once(app, setting):
    reporter = {"user": setting["reporter"]["name"]}
    correction = call_action("govdata_correction_create", dict(reporter), package_id=setting["dataset"]["id"],
                             description="数据有误")
    editor = {"user": setting["editor"]["name"]}

    queue = app.get("/feedback/queue", headers=_headers(setting["editor"])).body
    unread_before = len(call_action("govdata_feedback_notice_list", dict(reporter)))
    app.get(f"/feedback/correction/{correction['id']}", headers=_headers(setting["reporter"]))
    unread_after = len(call_action("govdata_feedback_notice_list", dict(reporter)))
    app.post("/dashboard/feedback/read", data={"next_page": "queue"}, headers=_headers(setting["editor"]))

    assert "有一条纠错待本单位处理" in queue
    assert unread_before == 1 and unread_after == 0
    assert call_action("govdata_feedback_notice_list", dict(editor)) == []
