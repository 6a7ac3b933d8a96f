"""Who may do what with a demand, from outside: anonymous visitors, another user, another
department, a plain member of the right department, its editor, the requester and the bureau."""
from __future__ import annotations

from typing import Any

import pytest
from ckan.tests.helpers import call_action

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

PRIVATE = ("user_id", "user_name", "contact_name", "contact_phone", "contact_email", "purpose")


@pytest.fixture
def world() -> dict[str, Any]:
    department, other_department = factories.department(), factories.department()
    requester = factories.user()
    world = {
        "department": department,
        "requester": requester,
        "editor": factories.member(department["id"], "editor"),
        "admin": factories.member(department["id"], "admin"),
        "member": factories.member(department["id"], "member"),
        "other_editor": factories.member(other_department["id"], "editor"),
        "other_user": factories.user(),
        "bureau": factories.sysadmin(),
        "dataset": factories.dataset(department["id"]),
    }
    world["submitted"] = factories.demand(requester, contact_name="王秘密", contact_phone="13912345678",
                                          contact_email="secret@example.com", purpose="私人用途说明")
    world["routed"] = factories.routed_demand(requester, department["id"], contact_name="王秘密",
                                              contact_phone="13912345678", contact_email="secret@example.com",
                                              purpose="私人用途说明")
    return world


def _post(app: Any, action: str, user: dict[str, Any] | None, **data: Any) -> Any:
    headers = {"Authorization": user["token"]} if user else {}
    return app.post(f"/api/3/action/{action}", json=data, headers=headers, status=None)


def test_only_the_bureau_routes(app, world):
    demand_id, to = world["submitted"]["id"], world["department"]["id"]
    for caller in (None, world["requester"], world["other_user"], world["editor"], world["other_editor"]):
        response = _post(app, "govdata_demand_route", caller, id=demand_id, organization_id=to)
        assert response.status_code == 403, (caller and caller["name"], response.body[:200])

    routed = _post(app, "govdata_demand_route", world["bureau"], id=demand_id, organization_id=to)

    assert routed.status_code == 200 and routed.json["result"]["state"] == "routed"


@pytest.mark.parametrize("operation", [
    ("govdata_demand_confirm", {"decision": "accept"}),
    ("govdata_demand_confirm", {"decision": "decline", "reason": "无此数据"}),
])
def test_only_the_department_routed_to_and_the_bureau_confirm(app, world, operation):
    action, data = operation
    demand_id = world["routed"]["id"]
    refused = [None, world["requester"], world["other_user"], world["other_editor"], world["member"]]
    answers = [_post(app, action, caller, id=demand_id, **data).status_code for caller in refused]

    confirmed = _post(app, action, world["editor"], id=demand_id, **data)

    assert answers == [403] * len(refused)
    assert confirmed.status_code == 200


def test_the_department_admin_and_the_bureau_act_as_the_department(app, world):
    demand_id = world["routed"]["id"]

    accepted = _post(app, "govdata_demand_confirm", world["admin"], id=demand_id, decision="accept")
    other = _post(app, "govdata_demand_provide", world["other_editor"], id=demand_id,
                  package_id=world["dataset"]["id"])
    provided = _post(app, "govdata_demand_provide", world["bureau"], id=demand_id, package_id=world["dataset"]["id"])

    assert accepted.status_code == 200
    assert other.status_code == 403
    assert provided.status_code == 200 and provided.json["result"]["state"] == "provided"


def test_only_the_requester_withdraws(app, world):
    demand_id = world["routed"]["id"]
    refused = [_post(app, "govdata_demand_withdraw", caller, id=demand_id).status_code
               for caller in (None, world["other_user"], world["editor"])]

    withdrawn = _post(app, "govdata_demand_withdraw", world["requester"], id=demand_id)

    assert refused == [403, 403, 403]
    assert withdrawn.status_code == 200


def test_support_needs_an_account_and_someone_else(app, world):
    demand_id = world["routed"]["id"]

    anonymous = _post(app, "govdata_demand_support", None, id=demand_id)
    own = _post(app, "govdata_demand_support", world["requester"], id=demand_id)
    before_routing = _post(app, "govdata_demand_support", world["other_user"], id=world["submitted"]["id"])
    other = _post(app, "govdata_demand_support", world["other_user"], id=demand_id)

    assert (anonymous.status_code, own.status_code) == (403, 403)
    assert before_routing.status_code == 409 and "id" in before_routing.json["error"]
    assert other.status_code == 200 and other.json["result"]["supporters"] == 1


def test_a_demand_not_yet_routed_is_seen_by_the_requester_and_the_bureau_only(app, world):
    demand_id = world["submitted"]["id"]
    statuses = {
        name: _post(app, "govdata_demand_show", world.get(name), id=demand_id).status_code
        for name in ("anonymous", "other_user", "editor", "other_editor", "requester", "bureau")
    }

    assert statuses == {"anonymous": 403, "other_user": 403, "editor": 403, "other_editor": 403,
                        "requester": 200, "bureau": 200}


def test_a_routed_demand_is_public_without_the_requesters_details(app, world):
    demand_id = world["routed"]["id"]

    def shown(name: str) -> dict[str, Any]:
        response = _post(app, "govdata_demand_show", world.get(name), id=demand_id)
        assert response.status_code == 200
        return response.json["result"]

    for name in ("anonymous", "other_user", "other_editor", "member"):
        result = shown(name)
        assert not set(PRIVATE) & set(result), name
        assert "王秘密" not in str(result) and "secret@example.com" not in str(result), name
        assert all(event["actor"] is None for event in result["events"]), name
    for name in ("requester", "editor", "bureau"):
        assert shown(name)["contact_phone"] == "13912345678", name


def test_the_public_list_never_shows_personal_details(app, world):
    response = app.get("/api/3/action/govdata_demand_list")
    results = response.json["result"]["results"]

    assert [result["id"] for result in results] == [world["routed"]["id"]]
    assert not set(PRIVATE) & set(results[0])
    assert "王秘密" not in response.body and "13912345678" not in response.body and "私人用途" not in response.body


def test_a_department_queue_holds_its_own_demands_only(app, world):
    other_routed = factories.routed_demand(world["requester"], factories.department()["id"])

    def queue(name: str) -> list[str]:
        response = _post(app, "govdata_demand_list", world[name], scope="queue")
        return [result["id"] for result in response.json["result"]["results"]]

    assert queue("editor") == [world["routed"]["id"]]
    assert queue("other_editor") == []
    assert queue("other_user") == []
    assert set(queue("bureau")) == {world["submitted"]["id"], world["routed"]["id"], other_routed["id"]}
    assert _post(app, "govdata_demand_list", None, scope="queue").status_code == 403


def test_the_ledger_is_for_staff_and_each_department_gets_its_own(app, world):
    factories.routed_demand(world["requester"], factories.department()["id"])

    plain = _post(app, "govdata_demand_ledger_export", world["other_user"], format="csv")
    anonymous = _post(app, "govdata_demand_ledger_export", None, format="csv")
    department = _post(app, "govdata_demand_ledger_export", world["editor"], format="csv")
    bureau = _post(app, "govdata_demand_ledger_export", world["bureau"], format="csv")

    assert (plain.status_code, anonymous.status_code) == (403, 403)
    assert department.json["result"]["count"] == 1
    assert bureau.json["result"]["count"] == 3


def test_mine_lists_only_the_callers_demands(world):
    mine = call_action("govdata_demand_list", {"user": world["requester"]["name"], "ignore_auth": False}, scope="mine")
    others = call_action("govdata_demand_list", {"user": world["other_user"]["name"], "ignore_auth": False},
                         scope="mine")

    assert mine["count"] == 2 and others["count"] == 0
