"""A subject authorises an application (an app key) for one dataset: calls with that key read
exactly the subject's rows through the data API, and nothing else opens — not the developer's own
token, downloads or datastore queries, not the developer's other keys, nobody else's — until the
grant is revoked or expires, or the key is revoked or expires."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from ckan import model
from ckan.tests.helpers import call_action
from freezegun import freeze_time

from ckanext.govdata import calendar
from ckanext.govdata.dataapi.keys.model import App
from ckanext.govdata.grants import AccessGrant, AccessLog
from tests import factories
from tests.subjects.world import OTHER_PERSON, PERSON, as_user, verify

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


@pytest.fixture
def served(city) -> dict[str, Any]:
    """The social insurance records served as a conditional data API, and a developer (the third
    party) with two keys that may call it."""
    api = factories.dataservice(city["department"]["id"], open_condition="conditional",
                                served_datasets=[city["social"]["dataset"]["name"]],
                                api_parameters=[{"name": "id_number", "type": "string", "required": "false"}])
    developer = city["third_party"]
    chosen = call_action("govdata_app_create", as_user(developer), name="贷款审核系统", scope=[api["name"]])
    other = call_action("govdata_app_create", as_user(developer), name="营销系统", scope=[api["name"]])
    return {"api": api["name"], "developer": developer, "chosen": chosen, "other": other}


def _authorise(city, subject, grantee: str, **overrides: Any) -> dict[str, Any]:
    data = {"subject_id": subject["id"], "package_id": city["social"]["dataset"]["id"], "grantee": grantee,
            "purpose": "贷款审核", "expires_on": (calendar.today() + dt.timedelta(days=30)).isoformat()}
    data.update(overrides)
    return call_action("govdata_subject_grant_create", as_user(city["person"]), **data)


def _by_key(app, served, issued: dict[str, Any], status: int, **params: Any) -> Any:
    return app.get(f"/api/data/{served['api']}", query_string=params, status=status,
                   headers={"X-App-Key": issued["key"], "X-App-Secret": issued["secret"]}).json


def _by_token(app, served, user: dict[str, Any] | None, status: int) -> Any:
    headers = {"Authorization": user["token"]} if user else {}
    return app.get(f"/api/data/{served['api']}", headers=headers, status=status).json


def test_the_authorised_key_reads_exactly_my_rows_and_no_other_path_opens(app, city, served, codes):
    subject = verify(codes, city["person"])
    verify(codes, city["other_person"], OTHER_PERSON)
    table = city["social"]["table"]["id"]
    developer = served["developer"]
    before = _by_key(app, served, served["chosen"], 403)

    grant = _authorise(city, subject, served["chosen"]["key"])

    mine = _by_key(app, served, served["chosen"], 200)
    asked_for_another = _by_key(app, served, served["chosen"], 200, id_number=OTHER_PERSON)
    assert before["error"]["code"] == "grant_required"
    assert sorted(row["amount"] for row in mine["records"]) == [100, 300] and mine["total"] == 2
    assert asked_for_another["records"] == []
    # The developer's other key, own token and every other path of theirs: nothing.
    assert _by_key(app, served, served["other"], 403)["error"]["code"] == "grant_required"
    assert _by_token(app, served, developer, 403)["error"]["code"] == "grant_required"
    headers = {"Authorization": developer["token"]}
    assert app.post("/api/3/action/datastore_search", json={"resource_id": table}, headers=headers,
                    status=None).status_code == 403
    assert app.get(f"/datastore/dump/{table}", headers=headers, status=None).status_code == 403
    assert call_action("package_show", as_user(developer), id=city["social"]["dataset"]["id"])["resources"][0].get(
        "access_restricted") is True
    # Nobody else either.
    outsider = city["outsider"]
    outsider_key = call_action("govdata_app_create", as_user(outsider), name="他人的应用", scope=[served["api"]])
    assert _by_token(app, served, None, 401)["error"]["code"] == "authentication_required"
    assert _by_token(app, served, outsider, 403)["error"]["code"] == "grant_required"
    assert _by_key(app, served, outsider_key, 403)["error"]["code"] == "grant_required"

    stored = model.Session.get(AccessGrant, grant["id"])
    assert stored.app_id == served["chosen"]["id"] and stored.user_id == developer["id"]
    assert stored.row_filter == {"column": "id_number", "value": PERSON}
    assert grant["app"]["name"] == "贷款审核系统" and grant["app"]["owner_name"] == developer["name"]
    assert PERSON not in str(grant) and "secret" not in grant["app"]
    listed = call_action("govdata_subject_grant_list", as_user(city["person"]))
    assert [(item["id"], item["app"]["key"]) for item in listed] == [(grant["id"], served["chosen"]["key"])]
    logged = model.Session.query(AccessLog).filter(AccessLog.grant_id == grant["id"]).all()
    assert len(logged) == 2 and {entry.app_id for entry in logged} == {served["chosen"]["id"]}
    trail = call_action("govdata_subject_audit_list", as_user(city["person"]))["results"]
    by_app = [entry for entry in trail if entry["app_name"] == "贷款审核系统"]
    assert len(by_app) == 2 and {entry["channel"] for entry in by_app} == {"dataapi"}
    assert {entry["user_name"] for entry in by_app} == {developer["name"]}
    staff = call_action("govdata_audit_list", as_user(city["editor"]), channel="dataapi")["results"]
    assert {entry["app_name"] for entry in staff} == {"贷款审核系统"}


def test_revoking_the_grant_or_the_key_ends_the_reads(app, city, served, codes):
    subject = verify(codes, city["person"])
    grant = _authorise(city, subject, served["chosen"]["key"])
    _by_key(app, served, served["chosen"], 200)

    call_action("govdata_subject_grant_revoke", as_user(city["person"]), id=grant["id"])

    assert _by_key(app, served, served["chosen"], 403)["error"]["code"] == "grant_required"
    regranted = _authorise(city, subject, served["chosen"]["key"])
    _by_key(app, served, served["chosen"], 200)
    call_action("govdata_app_revoke", as_user(served["developer"]), id=served["chosen"]["id"])
    assert _by_key(app, served, served["chosen"], 401)["error"]["code"] == "app_key_revoked"
    assert call_action("govdata_subject_grant_list", as_user(city["person"]))[0]["app"]["state"] == "revoked"
    assert regranted["in_force"]


def test_an_expired_grant_or_key_reads_nothing(app, city, served, codes):
    subject = verify(codes, city["person"])
    _authorise(city, subject, served["chosen"]["key"], expires_on=(calendar.today() + dt.timedelta(days=2)).isoformat())
    _authorise(city, subject, served["other"]["key"])

    with freeze_time(calendar.utcnow() + dt.timedelta(days=4)):
        expired_grant = _by_key(app, served, served["chosen"], 403)
    model.Session.get(App, served["other"]["id"]).expires_at = calendar.utcnow() - dt.timedelta(seconds=1)
    model.Session.commit()
    expired_key = _by_key(app, served, served["other"], 401)

    assert expired_grant["error"]["code"] == "grant_required"
    assert expired_key["error"]["code"] == "app_key_expired"


def test_a_user_named_like_the_key_does_not_take_the_grant(app, city, served, codes):
    subject = verify(codes, city["person"])
    impostor = factories.user(name=served["chosen"]["key"])

    grant = _authorise(city, subject, served["chosen"]["key"])

    assert grant["app"]["id"] == served["chosen"]["id"] and grant["user_id"] == served["developer"]["id"]
    assert _by_token(app, served, impostor, 403)["error"]["code"] == "grant_required"


def test_bad_applications_are_refused_naming_the_field_in_both_languages(city, served, codes):
    subject = verify(codes, city["person"])
    own = call_action("govdata_app_create", as_user(city["person"]), name="我自己的应用")
    revoked = call_action("govdata_app_create", as_user(served["developer"]), name="已吊销的应用")
    call_action("govdata_app_revoke", as_user(served["developer"]), id=revoked["id"])
    expired = call_action("govdata_app_create", as_user(served["developer"]), name="已过期的应用")
    model.Session.get(App, expired["id"]).expires_at = calendar.utcnow() - dt.timedelta(seconds=1)
    model.Session.commit()

    refusals = {}
    for case, grantee in {"unknown": "gk_000000000000000000000000", "own": own["key"], "revoked": revoked["key"],
                          "expired": expired["key"]}.items():
        with pytest.raises(Exception) as refused:
            _authorise(city, subject, grantee)
        refusals[case] = refused.value.error_dict["grantee"][0]

    assert "不是本门户的用户或应用" in refusals["unknown"] and "names no user or application" in refusals["unknown"]
    assert "本人的应用" in refusals["own"] and "your own application" in refusals["own"]
    assert "已被吊销" in refusals["revoked"] and "has been revoked" in refusals["revoked"]
    assert "已过期" in refusals["expired"] and "has expired" in refusals["expired"]
    assert all("被授权用户或应用" in message and "Authorised user or application" in message
               for message in refusals.values()), refusals
    assert model.Session.query(AccessGrant).filter(AccessGrant.app_id.isnot(None)).count() == 0


def test_the_developer_sees_the_grant_is_for_one_key_only(app, city, served, codes):
    subject = verify(codes, city["person"])
    _authorise(city, subject, served["chosen"]["key"])

    page = app.get("/access/requests", headers={"Authorization": served["developer"]["token"],
                                                "Accept-Language": "zh-CN"}).get_data(as_text=True)

    assert "govdata-grant-app-only" in page and "社保缴纳记录" in page
