"""Markup in every text field a user can write (issue #11): created through the action API,
then every page that renders it must show it as text, never as markup."""
from __future__ import annotations

import json
import re
from typing import Any

import pytest

from tests import factories
from tests.security.hostile import IMAGE_ONERROR, SCRIPT

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

# Each payload as the browser would parse it if it reached the page unescaped.
LIVE_MARKUP = [re.compile(r"<script>\s*alert\(1\)", re.IGNORECASE), re.compile(r"<img[^>]*onerror\s*=", re.IGNORECASE)]


def hostile(label: str) -> str:
    """A value carrying both payloads, labelled so a page can be shown to render the field."""
    return f"{label}{SCRIPT}{IMAGE_ONERROR}"


def _auth(user: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": user["token"]}


def _api(app: Any, action: str, actor: dict[str, Any], **data: Any) -> dict[str, Any]:
    response = app.post(f"/api/3/action/{action}", data=json.dumps(data), content_type="application/json",
                        headers=_auth(actor), status=None)
    assert response.status_code == 200, response.get_data(as_text=True)[:500]
    return response.json["result"]


def assert_inert(app: Any, path: str, actor: dict[str, Any] | None, *labels: str) -> None:
    response = app.get(path, headers=_auth(actor) if actor else {}, status=None)
    body = response.get_data(as_text=True)
    assert response.status_code == 200, (path, response.status_code)
    for pattern in LIVE_MARKUP:
        match = pattern.search(body)
        assert match is None, f"{path} renders live markup: …{body[max(0, match.start() - 200):match.end() + 50]}…"
    for label in labels:
        assert label in body, f"{path} does not show {label}"


def test_showcase_fields_are_escaped_on_every_page(app):
    author = factories.user()
    admin = factories.sysadmin()
    dataset = factories.dataset()
    created = _api(
        app, "govdata_showcase_create", author,
        **factories.showcase_fields(title=hostile("SC-TITLE"), notes=hostile("SC-NOTES"), author=hostile("SC-AUTHOR"),
                                    datasets=[dataset["id"]]),
    )
    _api(app, "govdata_showcase_moderate", admin, id=created["id"], decision="returned", comment=hostile("SC-COMMENT"))
    assert_inert(app, f"/showcase/{created['name']}", author, "SC-TITLE", "SC-AUTHOR", "SC-COMMENT")
    _api(app, "govdata_showcase_moderate", admin, id=created["id"], decision="published")

    assert_inert(app, f"/showcase/{created['name']}", None, "SC-TITLE", "SC-NOTES", "SC-AUTHOR")
    assert_inert(app, "/showcase/", None, "SC-TITLE")
    assert_inert(app, f"/dataset/{dataset['name']}", None, "SC-TITLE")
    assert_inert(app, "/showcase/moderation", admin)


def test_scenario_fields_are_escaped_on_every_page(app):
    admin = factories.sysadmin()
    scenario = _api(app, "govdata_scenario_create", admin, name="xss-scenario", title=hostile("SN-TITLE"),
                    description=hostile("SN-DESC"))

    assert_inert(app, f"/scenario/{scenario['name']}", None, "SN-TITLE", "SN-DESC")
    assert_inert(app, "/scenario/", None, "SN-TITLE")
    assert_inert(app, f"/scenario/{scenario['name']}/edit", admin, "SN-TITLE")


def test_contest_and_team_fields_are_escaped_on_every_page(app):
    admin = factories.sysadmin()
    leader = factories.user()
    contest = _api(
        app, "govdata_contest_create", admin,
        name="xss-contest", title=hostile("CT-TITLE"), year=2026, description=hostile("CT-DESC"),
        tracks=[{"name": "city", "title": hostile("CT-TRACK"), "description": hostile("CT-TRACKDESC")}],
        criteria=[{"name": "value", "title": hostile("CT-CRITERION"), "max": 100}],
        **factories.contest_dates(),
    )
    team = _api(app, "govdata_contest_team_register", leader, contest=contest["id"], name=hostile("TM-NAME"),
                organisation=hostile("TM-ORG"), track="city", members=[hostile("TM-MEMBER")])
    entry = _api(app, "govdata_contest_entry_submit", leader, team=team["id"],
                 **factories.showcase_fields(title=hostile("EN-TITLE")))
    _api(app, "govdata_showcase_moderate", admin, id=entry["package_id"], decision="published")

    assert_inert(app, f"/contest/{contest['name']}", None, "CT-TITLE", "CT-DESC", "CT-TRACK", "EN-TITLE")
    assert_inert(app, "/contest/", None, "CT-TITLE")
    assert_inert(app, f"/contest/{contest['name']}/team/{team['id']}", leader, "TM-NAME", "TM-ORG", "TM-MEMBER")
    assert_inert(app, f"/contest/{contest['name']}/team/{team['id']}/edit", leader, "TM-NAME")
    assert_inert(app, f"/contest/{contest['name']}/edit", admin, "CT-TITLE", "CT-CRITERION")
    assert_inert(app, f"/contest/{contest['name']}/register", leader, "CT-TRACK")


def test_access_request_fields_are_escaped_for_applicant_and_reviewer(app):
    applicant = factories.user()
    admin = factories.sysadmin()
    dataset = factories.conditional_dataset(factories.department()["id"])
    fields = factories.request_fields(
        dataset["id"], applicant_name=hostile("AR-NAME"), purpose=hostile("AR-PURPOSE"),
        scenario=hostile("AR-SCENARIO"), commitments=hostile("AR-COMMIT"),
    )
    request = _api(app, "govdata_access_request_create", applicant, submit=True, **fields)
    _api(app, "govdata_access_request_review", admin, id=request["id"], outcome="return", reason=hostile("AR-REASON"))

    for actor in (applicant, admin):
        assert_inert(app, f"/access/request/{request['id']}", actor, "AR-NAME", "AR-PURPOSE", "AR-SCENARIO", "AR-REASON")
    assert_inert(app, "/access/requests", applicant)
    assert_inert(app, f"/access/request/{request['id']}/edit", applicant, "AR-PURPOSE")
    assert_inert(app, "/access/ledger", admin)
    assert_inert(app, "/access/review", admin)
