"""Applications and keys from outside: the key lifecycle (create, rotate, revoke, expiry, scope)
as the data API answers it, the owner-only actions, and refusals that name the problem."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.govdata import calendar
from ckanext.govdata.dataapi.keys.model import App
from tests import factories
from tests.dataapi.test_endpoint import served_api

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def as_user(user: dict[str, Any]) -> dict[str, Any]:
    return {"user": user["name"], "ignore_auth": False}


def create_app(user: dict[str, Any], **fields: Any) -> dict[str, Any]:
    return call_action("govdata_app_create", as_user(user), name=fields.pop("name", "我的应用"), **fields)


def call(app: Any, api: str, key: str | None, secret: str | None, status: int | None = None) -> Any:
    headers = {}
    if key is not None:
        headers["X-App-Key"] = key
    if secret is not None:
        headers["X-App-Secret"] = secret
    return app.get(f"/api/data/{api}", headers=headers, status=status)


@pytest.fixture
def served() -> dict[str, Any]:
    return served_api()


def test_a_key_in_scope_calls_its_api_with_either_header_form(app, served):
    developer = factories.user()
    name = served["api"]["name"]
    issued = create_app(developer, scope=[name])

    assert call(app, name, issued["key"], issued["secret"], 200).json["total"] == 30
    by_authorization = app.get(f"/api/data/{name}", headers={"Authorization": f"AppKey {issued['key']}:{issued['secret']}"},
                               status=200)
    assert by_authorization.json["total"] == 30


def test_only_the_hash_of_the_secret_is_stored_and_shown_once(served):
    developer = factories.user()
    issued = create_app(developer, scope=[served["api"]["id"]])

    stored = model.Session.get(App, issued["id"])
    assert stored.secret_hash != issued["secret"] and issued["secret"] not in stored.secret_hash
    shown = call_action("govdata_app_show", as_user(developer), id=issued["id"])
    assert "secret" not in shown and shown["key"] == issued["key"]
    # A scope named by id is stored by the API's name.
    assert shown["scope"] == [served["api"]["name"]]


def test_rotating_invalidates_the_old_secret(app, served):
    developer = factories.user()
    name = served["api"]["name"]
    issued = create_app(developer, scope=[name])

    call(app, name, issued["key"], issued["secret"], 200)

    rotated = call_action("govdata_app_rotate", as_user(developer), id=issued["id"])

    assert rotated["key"] == issued["key"] and rotated["secret"] != issued["secret"]
    assert call(app, name, issued["key"], issued["secret"], 401).json["error"]["code"] == "app_key_invalid"
    call(app, name, rotated["key"], rotated["secret"], 200)


def test_a_revoked_key_is_refused_and_cannot_be_rotated(app, served):
    developer = factories.user()
    name = served["api"]["name"]
    issued = create_app(developer, scope=[name])
    call(app, name, issued["key"], issued["secret"], 200)  # the worker now holds the key's entry

    call_action("govdata_app_revoke", as_user(developer), id=issued["id"])

    error = call(app, name, issued["key"], issued["secret"], 401).json["error"]
    assert error["code"] == "app_key_revoked"
    assert "吊销" in error["message"] and "revoked" in error["message"]
    with pytest.raises(Exception, match="revoked"):
        call_action("govdata_app_rotate", as_user(developer), id=issued["id"])


def test_an_expired_key_is_refused(app, served):
    developer = factories.user()
    name = served["api"]["name"]
    issued = create_app(developer, scope=[name], expires_at=calendar.today().isoformat())
    call(app, name, issued["key"], issued["secret"], 200)

    model.Session.get(App, issued["id"]).expires_at = calendar.utcnow() - dt.timedelta(seconds=1)
    model.Session.commit()

    assert call(app, name, issued["key"], issued["secret"], 401).json["error"]["code"] == "app_key_expired"


def test_scope_is_default_deny(app, served):
    developer = factories.user()
    name = served["api"]["name"]
    other = served_api()["api"]["name"]
    unscoped = create_app(developer)
    scoped = create_app(developer, scope=[other])

    assert call(app, name, unscoped["key"], unscoped["secret"], 403).json["error"]["code"] == "app_key_scope"
    assert call(app, name, scoped["key"], scoped["secret"], 403).json["error"]["field"] is None
    call_action("govdata_app_update", as_user(developer), id=scoped["id"], scope=f"{other},{name}")
    call(app, name, scoped["key"], scoped["secret"], 200)


@pytest.mark.parametrize("headers,code", [
    ({"X-App-Key": "gk_nope", "X-App-Secret": "x"}, "app_key_invalid"),
    ({"X-App-Key": "gk_only"}, "app_key_malformed"),
    ({"X-App-Secret": "only"}, "app_key_malformed"),
    ({"Authorization": "AppKey no-colon"}, "app_key_malformed"),
    ({"X-App-Key": "k" * 500, "X-App-Secret": "s"}, "app_key_malformed"),
])
def test_bad_credentials_answer_401_json_naming_the_problem(app, served, headers, code):
    response = app.get(f"/api/data/{served['api']['name']}", headers=headers, status=401)
    assert response.json["error"]["code"] == code


def test_the_key_owner_is_the_caller_whose_grants_decide_conditional_apis(app):
    conditional = served_api("conditional")
    name = conditional["api"]["name"]
    grantee, stranger = factories.user(), factories.user()
    factories.grant(grantee["id"], conditional["dataset"]["id"])
    with_grant = create_app(grantee, scope=[name])
    without = create_app(stranger, scope=[name])

    assert call(app, name, with_grant["key"], with_grant["secret"], 200).json["total"] == 30
    assert call(app, name, without["key"], without["secret"], 403).json["error"]["code"] == "grant_required"


def test_only_owner_and_sysadmin_see_or_change_an_app(served):
    owner, other, admin = factories.user(), factories.user(), factories.sysadmin()
    issued = create_app(owner, scope=[served["api"]["name"]])

    for action in ("govdata_app_show", "govdata_app_rotate", "govdata_app_revoke", "govdata_app_update", "govdata_app_usage"):
        with pytest.raises(Exception, match=r"owner|所有者"):
            call_action(action, as_user(other), id=issued["id"])
    assert call_action("govdata_app_list", as_user(other)) == []
    assert [a["id"] for a in call_action("govdata_app_list", as_user(admin), user_id=owner["id"])] == [issued["id"]]
    assert call_action("govdata_app_show", as_user(admin), id=issued["id"])["key"] == issued["key"]
    with pytest.raises(Exception, match="sysadmin"):
        call_action("govdata_app_update", as_user(owner), id=issued["id"], plan="premium")
    assert call_action("govdata_app_update", as_user(admin), id=issued["id"], plan="premium")["plan"] == "premium"


def test_bad_input_names_the_field(served):
    developer = factories.user()
    for fields, field in [({"name": ""}, "name"), ({"homepage": "javascript:alert(1)"}, "homepage"),
                          ({"scope": ["no-such-api"]}, "scope"), ({"expires_at": "2001-01-01"}, "expires_at"),
                          ({"expires_at": "tomorrow"}, "expires_at")]:
        with pytest.raises(Exception) as refused:
            call_action("govdata_app_create", as_user(developer), **{"name": "应用", **fields})
        assert field in getattr(refused.value, "error_dict", {}), (fields, refused.value)


def test_the_action_api_refuses_anonymous_and_keeps_api_tokens_working(app):
    developer = factories.user()
    anonymous = app.post("/api/action/govdata_app_create", json={"name": "x"}, status=403)
    assert anonymous.json["success"] is False
    token = call_action("api_token_create", {"user": developer["name"], "ignore_auth": False},
                        user=developer["name"], name="t")["token"]
    created = app.post("/api/action/govdata_app_create", json={"name": "带令牌"}, headers={"Authorization": token}, status=200)
    assert created.json["result"]["secret"]


def test_a_deleted_owner_or_a_narrowed_scope_counts_on_the_next_call(app, served):
    developer = factories.user()
    name = served["api"]["name"]
    other = served_api()["api"]["name"]
    issued = create_app(developer, scope=[name, other])
    call(app, name, issued["key"], issued["secret"], 200)

    call_action("govdata_app_update", as_user(developer), id=issued["id"], scope=[other])
    assert call(app, name, issued["key"], issued["secret"], 403).json["error"]["code"] == "app_key_scope"
    call(app, other, issued["key"], issued["secret"], 200)

    call_action("user_delete", id=developer["id"])
    assert call(app, other, issued["key"], issued["secret"], 401).json["error"]["code"] == "app_key_invalid"


def _held_key_revoked_unannounced(app, served) -> tuple[str, dict[str, Any], dict[str, Any]]:
    """A key this worker holds (one call made), then revoked in the database without this
    process's listeners, so no stamp moves: the API name, the issued key and its developer."""
    developer = factories.user()
    name = served["api"]["name"]
    issued = create_app(developer, scope=[name])
    call(app, name, issued["key"], issued["secret"], 200)
    with model.meta.engine.begin() as connection:
        connection.execute(App.__table__.update().where(App.__table__.c.id == issued["id"]).values(revoked_at=calendar.utcnow()))
    return name, issued, developer


def test_a_change_is_seen_by_a_worker_that_holds_the_key_whoever_made_it(app, served):
    # Another worker's change reaches this one only through Redis: change the row without this
    # process's listeners (another connection), then announce it as a worker's commit does.
    from ckanext.govdata import rate_limits
    from ckanext.govdata.dataapi.keys import identities, limits

    name, issued, developer = _held_key_revoked_unannounced(app, served)
    call(app, name, issued["key"], issued["secret"], 200)  # not announced: the entry still holds
    rate_limits.bump_stamps(limits.connection(), identities.stamps_of(issued["id"], developer["id"])[:1])
    assert call(app, name, issued["key"], issued["secret"], 401).json["error"]["code"] == "app_key_revoked"


def test_a_redis_that_lost_its_keys_is_never_taken_for_an_older_stamp(app, served):
    from ckanext.govdata.dataapi.keys import limits

    name, issued, _developer = _held_key_revoked_unannounced(app, served)

    limits.connection().flushdb()  # a restart without persistence: the stamps read 0 again

    assert call(app, name, issued["key"], issued["secret"], 401).json["error"]["code"] == "app_key_revoked"


def test_a_change_whose_announcement_was_lost_counts_once_the_entry_is_old(app, served, monkeypatch):
    # A revocation committed while Redis could not be told: no stamp moves, and the worker that
    # holds the key reads the rows again once its entry reaches MAX_AGE.
    from ckanext.govdata.dataapi.keys import identities

    name, issued, _developer = _held_key_revoked_unannounced(app, served)
    call(app, name, issued["key"], issued["secret"], 200)  # the entry still holds

    monkeypatch.setattr(identities, "MAX_AGE", 0.0)

    assert call(app, name, issued["key"], issued["secret"], 401).json["error"]["code"] == "app_key_revoked"


def test_blank_dates_of_the_usage_read_as_not_given(app):
    # Found by the fuzz test: a blank date_from reached the query as text (HTTP 500).
    developer = factories.user()

    for dates in ({"date_from": "   "}, {"date_to": ""}, {"date_from": " ", "date_to": "2026-12-31"}):
        response = app.post("/api/3/action/govdata_app_usage", json=dates, headers={"Authorization": developer["token"]})
        assert response.status_code == 200 and response.json["result"] == [], dates
