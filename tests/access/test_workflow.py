"""The workflow table drives the actions and the pages: every operation from every state.

An operation the table allows from a state succeeds (or, where the table calls the state
settled, changes nothing); any other is a 409 naming ``state``; anyone without the
operation's role gets a 403 whatever the state.
"""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests.helpers import call_action

from ckanext.govdata.access import workflow
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

# How to bring a new request into each state, as (operation, actor role) steps after creating a draft.
ROUTES: dict[str, list[str]] = {
    workflow.DRAFT: [],
    workflow.SUBMITTED: ["submit"],
    workflow.DEPARTMENT_REVIEW: ["submit", "pass"],
    workflow.APPROVED: ["submit", "pass", "approve"],
    workflow.REJECTED: ["submit", "check_reject"],
    workflow.RETURNED: ["submit", "check_return"],
    workflow.WITHDRAWN: ["withdraw"],
}


@pytest.fixture
def world() -> dict[str, Any]:
    department = factories.department()
    dataset = factories.conditional_dataset(department["id"], data_subject_type="none")
    return {
        "dataset": dataset,
        workflow.BUREAU: factories.sysadmin(),
        workflow.DEPARTMENT: factories.member(department["id"]),
        "outsider": factories.user(),
    }


def _payload(world: dict[str, Any], request_id: str, operation: workflow.Operation) -> dict[str, Any]:
    if operation.name == "update":
        fields = factories.request_fields(world["dataset"]["id"], subject_id=None, subject_consent=None)
        return {"id": request_id, **fields, "purpose": "改用途"}
    payload: dict[str, Any] = {"id": request_id, **operation.params}
    if operation.name != "submit":
        payload["reason"] = "理由"
    return payload


def _request_in(world: dict[str, Any], state: str) -> tuple[dict[str, Any], dict[str, Any]]:
    applicant = factories.user()
    actors = {workflow.APPLICANT: applicant, **world}
    request = factories.access_request(applicant, world["dataset"]["id"], subject_id=None, subject_consent=None,
                                       submit=False)
    for name in ROUTES[state]:
        operation = workflow.OPERATIONS[name]
        actor = actors[operation.role]
        call_action(operation.action, {"user": actor["name"], "ignore_auth": False},
                    **_payload(world, request["id"], operation))
    return request, actors


@pytest.mark.parametrize("state", workflow.STATES)
def test_every_operation_from_every_state_follows_the_table(app, world, state):
    for operation in workflow.OPERATIONS.values():
        request, actors = _request_in(world, state)
        actor = actors[operation.role]

        response = app.post(f"/api/3/action/{operation.action}", json=_payload(world, request["id"], operation),
                            headers={"Authorization": actor["token"]})
        shown = call_action("govdata_access_request_show", {"ignore_auth": True}, id=request["id"])

        if state in operation.moves:
            assert response.status_code == 200, (operation.name, state, response.json)
            assert shown["state"] == operation.moves[state], (operation.name, state)
        elif state in operation.settled:
            assert response.status_code == 200, (operation.name, state, response.json)
            assert shown["state"] == state, (operation.name, state)
        else:
            assert response.status_code == 409 and "state" in response.json["error"], (operation.name, state)
            assert shown["state"] == state, (operation.name, state)


@pytest.mark.parametrize("state", [workflow.DRAFT, workflow.SUBMITTED, workflow.DEPARTMENT_REVIEW])
def test_an_operation_without_its_role_is_refused_in_any_state(app, world, state):
    request, _actors = _request_in(world, state)

    for operation in workflow.OPERATIONS.values():
        app.post(f"/api/3/action/{operation.action}", json=_payload(world, request["id"], operation),
                 headers={"Authorization": world["outsider"]["token"]}, status=403)


BUTTONS = {"pass", "check_return", "check_reject", "approve", "return", "reject", "withdraw", "revoke"}
DECIDING = {"approve", "return", "reject"}
# What the table gives each role (bureau staff are sysadmins, who also act for every department).
OFFERED = {
    (workflow.SUBMITTED, workflow.APPLICANT): {"withdraw"},
    (workflow.SUBMITTED, workflow.BUREAU): {"pass", "check_return", "check_reject"},
    (workflow.SUBMITTED, workflow.DEPARTMENT): set(),
    (workflow.DEPARTMENT_REVIEW, workflow.APPLICANT): {"withdraw"},
    (workflow.DEPARTMENT_REVIEW, workflow.BUREAU): DECIDING,
    (workflow.DEPARTMENT_REVIEW, workflow.DEPARTMENT): DECIDING,
    (workflow.APPROVED, workflow.APPLICANT): set(),
    (workflow.APPROVED, workflow.BUREAU): {"revoke"},
    (workflow.APPROVED, workflow.DEPARTMENT): {"revoke"},
}


@pytest.mark.parametrize("state", [workflow.SUBMITTED, workflow.DEPARTMENT_REVIEW, workflow.APPROVED])
def test_the_request_page_shows_only_the_allowed_buttons(app, world, state):
    request, actors = _request_in(world, state)

    for role in (workflow.APPLICANT, workflow.BUREAU, workflow.DEPARTMENT):
        page = app.get(f"/access/request/{request['id']}", headers={"Authorization": actors[role]["token"]}).body
        offered = {name for name in BUTTONS if f'name="operation" value="{name}"' in page}
        assert offered == OFFERED[(state, role)], (state, role)
