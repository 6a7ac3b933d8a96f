"""The 我的数据 pages and the audit trail page over HTTP: proving who you are with the code, the
rows about you (masked), authorising and revoking, flagging, and the staff's trail and export.
No page shows a document number in full."""
from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from ckan.tests.helpers import call_action

from ckanext.govdata import calendar
from tests.subjects.world import OTHER_PERSON, PERSON, last_code, verify

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _headers(user: dict[str, Any] | None) -> dict[str, str]:
    return {"Authorization": user["token"]} if user else {}


def test_visitors_are_sent_to_sign_in(app):
    for path in ("/my-data", "/my-data/verify", "/audit"):
        response = app.get(path, follow_redirects=False)
        assert response.status_code == 302 and "/user/login" in response.headers["Location"]


def test_a_person_proves_who_they_are_on_the_pages_and_sees_their_rows_masked(app, city, codes):
    headers = _headers(city["person"])
    empty = app.get("/my-data", headers=headers).body
    refused = app.post("/my-data/verify", data={"document_type": "resident_id", "number": PERSON[:-1] + "Y"},
                       headers=headers).body
    started = app.post("/my-data/verify", data={"document_type": "resident_id", "number": PERSON},
                       headers=headers).body
    challenge_id = re.search(r'name="challenge_id" value="([^"]+)"', started).group(1)
    wrong = app.post("/my-data/verify/confirm", data={"challenge_id": challenge_id, "answer": "abc"},
                     headers=headers).body
    confirmed = app.post("/my-data/verify/confirm", headers=headers, data={
        "challenge_id": challenge_id, "answer": last_code(codes, city["person"]["name"])})
    page = app.get("/my-data", headers=headers).body

    assert "身份核验" in empty and "govdata-subject-table" not in empty
    assert 'data-field="number"' in refused and "GB 11643" in refused
    assert "3306********" + PERSON[-4:] in started and PERSON not in started
    assert 'data-field="answer"' in wrong
    assert confirmed.status_code == 200 and "核验成功" in confirmed.body
    assert page.count("govdata-subject-table") == 2 and "社保缴纳记录" in page and "公积金缴存记录" in page
    assert "张三" in page and "李四" not in page and "不予开放的记录" not in page
    assert PERSON not in page and OTHER_PERSON not in page
    assert "3306********" + PERSON[-4:] in page


def test_authorise_revoke_and_flag_from_the_page(app, city, codes):
    verify(codes, city["person"])
    headers = _headers(city["person"])
    tables = call_action("govdata_subject_rows", {"user": city["person"]["name"], "ignore_auth": False})
    social = next(table for table in tables if table["package_title"] == "社保缴纳记录")
    expires = (calendar.today() + dt.timedelta(days=30)).isoformat()

    authorised = app.post("/my-data/grant", headers=headers, data={
        "subject_id": social["subject"]["id"], "package_id": social["package_id"], "grantee": city["third_party"]["name"],
        "purpose": "贷款审核", "expires_on": expires}).body
    refused = app.post("/my-data/grant", headers=_headers(city["outsider"]), data={
        "subject_id": social["subject"]["id"], "package_id": social["package_id"], "grantee": city["outsider"]["name"],
        "purpose": "冒用", "expires_on": expires})
    grant_id = re.search(r'data-grant-id="([^"]+)"', authorised).group(1)
    others_revoke = app.post(f"/my-data/grant/{grant_id}/revoke", headers=_headers(city["third_party"]))
    revoked = app.post(f"/my-data/grant/{grant_id}/revoke", headers=headers).body
    flagged = app.post("/my-data/flag", headers=headers, data={
        "subject_id": social["subject"]["id"], "resource_id": social["resource_id"],
        "row": social["records"][0]["_id"], "description": "金额应为150"}).body

    assert city["third_party"]["name"] in authorised and "贷款审核" in authorised and "生效中" in authorised
    assert refused.status_code == others_revoke.status_code == 403
    assert "授权已撤销" in revoked and "已撤销" in revoked
    assert "金额应为150" in flagged and "数据主体标记" in flagged and PERSON not in flagged


def test_the_staff_page_and_export_show_the_departments_trail_masked(app, city, codes):
    verify(codes, city["person"])
    call_action("govdata_subject_rows", {"user": city["person"]["name"], "ignore_auth": False})

    page = app.get("/audit", headers=_headers(city["editor"])).body
    by_subject = app.post("/audit", headers=_headers(city["editor"]), data={"subject": PERSON}).body
    other = app.get("/audit", headers=_headers(city["other_staff"])).body
    plain = app.get("/audit", headers=_headers(city["outsider"]))
    exported = app.post("/audit/export", headers=_headers(city["editor"]), data={"format": "csv", "subject": PERSON})
    refused_export = app.post("/audit/export", headers=_headers(city["outsider"]), data={"format": "csv"})

    assert "2 条记录" in page and "我的数据" in page and "3306********" + PERSON[-4:] in page
    assert "2 条记录" in by_subject and PERSON not in page + by_subject
    assert "0 条记录" in other
    assert plain.status_code == refused_export.status_code == 403
    csv_text = exported.get_data().decode("utf-8-sig")
    assert exported.status_code == 200 and "3306********" + PERSON[-4:] in csv_text and PERSON not in csv_text
    assert len(csv_text.strip().splitlines()) == 3


def test_the_subject_reads_who_read_their_rows_on_their_page(app, city, codes):
    subject = verify(codes, city["person"])
    call_action("govdata_subject_grant_create", {"user": city["person"]["name"], "ignore_auth": False},
                subject_id=subject["id"], package_id=city["social"]["dataset"]["id"],
                grantee=city["third_party"]["name"], purpose="核验",
                expires_on=(calendar.today() + dt.timedelta(days=5)).isoformat())
    app.post("/api/3/action/datastore_search", json={"resource_id": city["social"]["table"]["id"]},
             headers=_headers(city["third_party"]))

    page = app.get("/my-data", headers=_headers(city["person"])).body
    trail = page[page.index('id="trail"'):]

    assert city["third_party"]["name"] in trail and "数据接口" in trail and PERSON not in page
