"""The conditional data a contest offers: granted to its registered teams for the contest period,
through the access grants, and checked from outside on the data paths."""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests.helpers import call_action

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _headers(actor: dict[str, Any] | None) -> dict[str, str]:
    return {"Authorization": actor["token"]} if actor else {}


def _rows(app, actor: dict[str, Any] | None, table: dict[str, Any]) -> int | None:
    """How many rows datastore_search gives the actor, or None when refused."""
    response = app.post(
        "/api/3/action/datastore_search", json={"resource_id": table["id"]}, headers=_headers(actor), status=None
    )
    assert response.status_code in (200, 403), response.status_code
    return len(response.json["result"]["records"]) if response.status_code == 200 else None


def _downloads(app, actor: dict[str, Any] | None, dataset: dict[str, Any]) -> bool:
    upload = next(r for r in dataset["resources"] if r.get("url_type") == "upload")
    response = app.get(f"/dataset/{dataset['id']}/resource/{upload['id']}/download/data.csv",
                       headers=_headers(actor), status=None)
    assert response.status_code in (200, 403), response.status_code
    return response.status_code == 200


@pytest.fixture
def offered() -> dict[str, Any]:
    """A conditional dataset (no data subjects) offered by an open contest, and its department's staff."""
    department = factories.department()
    staff = factories.user()
    call_action("organization_member_create", factories.site_context(), id=department["id"],
                username=staff["name"], role="editor")
    dataset = factories.conditional_dataset(department["id"], data_subject_type="none", subject_id_column="")
    contest = factories.contest(packages=[dataset["name"]])
    table = next(r for r in dataset["resources"] if r.get("datastore_active"))
    return {"dataset": dataset, "table": table, "contest": contest, "staff": staff}


def test_registered_teams_get_the_offered_conditional_data_until_the_review_closes(app, offered):
    leader, teammate, outsider = factories.user(), factories.user(), factories.user()
    assert _rows(app, leader, offered["table"]) is None

    team = factories.contest_team(offered["contest"]["id"], leader, accounts=[teammate["name"]])

    assert _rows(app, leader, offered["table"]) == 2 and _rows(app, teammate, offered["table"]) == 2
    assert _downloads(app, teammate, offered["dataset"])
    assert _rows(app, outsider, offered["table"]) is None and _rows(app, None, offered["table"]) is None
    assert not _downloads(app, outsider, offered["dataset"])
    grants = call_action("govdata_access_grant_list", {"user": leader["name"], "ignore_auth": False}, scope="mine")
    assert [(g["package_id"], g["expires_on"]) for g in grants] == [
        (offered["dataset"]["id"], offered["contest"]["review_closes"])
    ]
    assert grants[0]["request_id"] is None and team["name"] in grants[0]["note"]
    department_view = call_action("govdata_access_grant_list", {"user": offered["staff"]["name"], "ignore_auth": False},
                                  scope="review")
    assert {g["user_name"] for g in department_view} == {leader["name"], teammate["name"]}
    shown = call_action("govdata_contest_team_show", {"user": teammate["name"], "ignore_auth": False}, id=team["id"])
    assert [g["package_id"] for g in shown["grants"]] == [offered["dataset"]["id"]]
    assert "grants" not in call_action("govdata_contest_team_show", {"user": outsider["name"], "ignore_auth": False},
                                       id=team["id"])


def test_accounts_removed_from_a_team_lose_the_data_and_added_ones_get_it(app, offered):
    leader, first, second = factories.user(), factories.user(), factories.user()
    team = factories.contest_team(offered["contest"]["id"], leader, accounts=[first["name"]])

    call_action("govdata_contest_team_update", {"user": leader["name"], "ignore_auth": False},
                id=team["id"], accounts=[second["name"]])

    assert _rows(app, first, offered["table"]) is None
    assert _rows(app, second, offered["table"]) == 2
    assert _rows(app, leader, offered["table"]) == 2


def test_data_no_longer_offered_is_withdrawn_and_grants_follow_the_contest_dates(app, offered):
    leader = factories.user()
    factories.contest_team(offered["contest"]["id"], leader)
    later = (dt.date.fromisoformat(offered["contest"]["review_closes"]) + dt.timedelta(days=20)).isoformat()

    call_action("govdata_contest_update", factories.site_context(), id=offered["contest"]["id"],
                review_closes=later, results_date=later)
    extended = call_action("govdata_access_grant_list", {"user": leader["name"], "ignore_auth": False})
    call_action("govdata_contest_update", factories.site_context(), id=offered["contest"]["id"], packages=[])

    assert [g["expires_on"] for g in extended] == [later]
    assert _rows(app, leader, offered["table"]) is None
    ended = call_action("govdata_access_grant_list", {"user": leader["name"], "ignore_auth": False},
                        include_inactive=True)
    assert [g["status"] for g in ended] == ["revoked"]


def test_grants_end_with_the_contest_period(app, offered):
    leader = factories.user()
    factories.contest_team(offered["contest"]["id"], leader)

    call_action("govdata_contest_update", factories.site_context(), id=offered["contest"]["id"],
                **factories.contest_dates(registration=-3, submission=-2, review=-1))

    assert _rows(app, leader, offered["table"]) is None
    assert not _downloads(app, leader, offered["dataset"])


def test_a_grant_the_department_revoked_is_not_issued_again(app, offered):
    leader = factories.user()
    factories.contest_team(offered["contest"]["id"], leader)
    grant = call_action("govdata_access_grant_list", {"user": leader["name"], "ignore_auth": False})[0]

    call_action("govdata_access_grant_revoke", {"user": offered["staff"]["name"], "ignore_auth": False},
                id=grant["id"], reason="违反使用承诺")
    call_action("govdata_contest_update", factories.site_context(), id=offered["contest"]["id"],
                packages=[offered["dataset"]["name"]], title="改名后的大赛")

    assert _rows(app, leader, offered["table"]) is None
    assert call_action("govdata_access_grant_list", {"user": leader["name"], "ignore_auth": False}) == []


def test_data_of_data_subjects_and_not_open_data_cannot_be_offered():
    subjects = factories.conditional_dataset()  # enterprise records, opened to each enterprise's users
    closed = factories.dataset(open_condition="not-open")

    for package in (subjects, closed):
        with pytest.raises(tk.ValidationError) as refused:
            factories.contest(packages=[package["name"]])
        message = refused.value.error_dict["packages"][0]
        assert package["name"] in message and "contestants" in message and "参赛" in message


def test_the_department_sees_and_revokes_team_grants_on_its_ledger_page(app, offered):
    leader, outsider = factories.user(), factories.user()
    team = factories.contest_team(offered["contest"]["id"], leader)
    grant = call_action("govdata_access_grant_list", {"user": leader["name"], "ignore_auth": False})[0]
    revoke_url = f"/access/grant/{grant['id']}/revoke"

    ledger = app.get("/access/ledger", headers=_headers(offered["staff"])).body
    refused = app.post(revoke_url, headers=_headers(outsider), data={"reason": "无权撤销"}, status=403)
    no_reason = app.post(revoke_url, headers=_headers(offered["staff"]), data={"reason": ""}).body
    still_reads = _rows(app, leader, offered["table"])
    app.post(revoke_url, headers=_headers(offered["staff"]), data={"reason": "违反使用承诺"})

    assert f'data-grant-id="{grant["id"]}"' in ledger and team["name"] in ledger and leader["name"] in ledger
    assert refused.status_code == 403
    assert "Reason is required" in no_reason
    assert still_reads == 2
    assert _rows(app, leader, offered["table"]) is None
    assert f'data-grant-id="{grant["id"]}"' not in app.get("/access/ledger", headers=_headers(offered["staff"])).body
