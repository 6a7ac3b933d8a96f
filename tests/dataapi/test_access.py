"""Who a data API answers, from outside: anonymous callers, other users, expired grants, the
rightful grantee (confined to the data subject's rows), department staff; not-open never."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from ckan.tests.helpers import call_action

from ckanext.govdata import calendar
from ckanext.govdata.grants import AccessLog
from tests import factories
from tests.dataapi.test_endpoint import served_api

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

SUBJECT = "ST004"


def call(app: Any, name: str, user: dict[str, Any] | None = None, status: int | None = None, **params: Any) -> Any:
    headers = {"Authorization": user["token"]} if user else {}
    return app.get(f"/api/data/{name}", query_string=params, headers=headers, status=status)


@pytest.fixture
def conditional() -> dict[str, Any]:
    return served_api("conditional", dataset_fields={"data_subject_type": "enterprise"})


def test_anonymous_callers_are_asked_to_identify_themselves(app, conditional):
    response = call(app, conditional["api"]["name"], status=401)

    assert response.json["error"]["code"] == "authentication_required"
    assert "API" in response.json["error"]["message"] and " / " in response.json["error"]["message"]


def test_a_user_without_a_grant_is_refused(app, conditional):
    response = call(app, conditional["api"]["name"], factories.user(), status=403)

    assert response.json["error"]["code"] == "grant_required"


def test_an_expired_or_revoked_grant_opens_nothing(app, conditional):
    expired, revoked = factories.user(), factories.user()
    today = calendar.today()
    factories.grant(expired["id"], conditional["dataset"]["id"], starts_on=today - dt.timedelta(days=40),
                    expires_on=today - dt.timedelta(days=1))
    factories.grant(revoked["id"], conditional["dataset"]["id"], revoked_at=calendar.utcnow())

    call(app, conditional["api"]["name"], expired, status=403)
    call(app, conditional["api"]["name"], revoked, status=403)


def test_a_grant_on_another_dataset_opens_nothing(app, conditional):
    other = factories.user()
    factories.grant(other["id"], factories.dataset(open_condition="conditional")["id"])

    call(app, conditional["api"]["name"], other, status=403)


def test_the_grantee_reads_every_row_and_the_read_is_logged(app, conditional):
    from ckan import model

    grantee = factories.user()
    factories.grant(grantee["id"], conditional["dataset"]["id"])

    body = call(app, conditional["api"]["name"], grantee, limit="5").json

    assert body["total"] == 30 and len(body["records"]) == 5
    logged = model.Session.query(AccessLog).filter(AccessLog.user_id == grantee["id"]).one()
    assert (logged.channel, logged.amount, logged.package_id) == ("dataapi", 5, conditional["dataset"]["id"])


def test_a_data_subject_grant_confines_the_rows_to_its_subject(app, conditional):
    grantee = factories.user()
    factories.grant(grantee["id"], conditional["dataset"]["id"], row_filter={"column": "station_code", "value": SUBJECT})

    body = call(app, conditional["api"]["name"], grantee).json
    asked_for_another = call(app, conditional["api"]["name"], grantee, station_code="ST005").json

    assert [record["station_code"] for record in body["records"]] == [SUBJECT]
    assert body["total"] == 1
    assert asked_for_another["records"] == [] and asked_for_another["total"] == 0


def test_a_subject_filter_on_a_column_the_table_lacks_matches_nothing(app, conditional):
    grantee = factories.user()
    factories.grant(grantee["id"], conditional["dataset"]["id"], row_filter={"column": "credit_code", "value": "x"})

    body = call(app, conditional["api"]["name"], grantee).json

    assert body["total"] == 0 and body["records"] == []


def test_department_staff_and_sysadmins_read_conditional_apis(app, conditional):
    editor = factories.member(conditional["department"]["id"], "editor")
    outsider = factories.member(factories.department()["id"], "editor")

    assert call(app, conditional["api"]["name"], editor).json["total"] == 30
    assert call(app, conditional["api"]["name"], factories.sysadmin()).json["total"] == 30
    call(app, conditional["api"]["name"], outsider, status=403)


def test_the_served_datasets_condition_binds_an_unconditional_api(app):
    world = served_api("unconditional", dataset_fields={"open_condition": "conditional"})

    call(app, world["api"]["name"], status=401)


@pytest.mark.parametrize("where", ["api", "dataset"])
def test_not_open_data_never_answers_whoever_asks(app, where):
    world = served_api(
        "not-open" if where == "api" else "unconditional",
        dataset_fields={"open_condition": "not-open"} if where == "dataset" else None,
        security_grade="3" if where == "api" else "1",
    )
    editor = factories.member(world["department"]["id"], "admin")
    grantee = factories.user()
    factories.grant(grantee["id"], world["dataset"]["id"])
    unknown = call(app, "no-such-api", status=404).json

    for user in (None, factories.user(), grantee, editor, factories.sysadmin()):
        answer = call(app, world["api"]["name"], user, status=404).json
        assert answer["error"]["code"] == unknown["error"]["code"] == "not_found"
        call(app, f"{world['api']['name']}", user, status=404, format="csv")
        app.get(f"/api/data/{world['api']['name']}/openapi.json", status=404)


def test_private_and_deleted_apis_answer_as_unknown(app):
    world = served_api()
    call_action("package_patch", factories.site_context(), id=world["api"]["id"], private=True)
    call(app, world["api"]["name"], factories.sysadmin(), status=404)
    call_action("package_delete", factories.site_context(), id=world["api"]["id"])
    call(app, world["api"]["name"], status=404)
