"""The demand pages over HTTP, in Chinese: the public list, the form and its errors, the rate
limit, a demand's page with the operations its viewer may do, the queue and the ledger."""
from __future__ import annotations

import io
from typing import Any

import pytest
from ckan.tests.helpers import call_action
from openpyxl import load_workbook

from ckanext.govdata.demands.model import Demand
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _headers(user: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": user["token"]}


def _form(**overrides: Any) -> dict[str, Any]:
    return {key: value for key, value in factories.demand_fields(**overrides).items() if value is not None}


def _count() -> int:
    from ckan import model

    return model.Session.query(Demand).count()


@pytest.fixture
def world() -> dict[str, Any]:
    department = factories.department()
    return {
        "department": department,
        "editor": factories.member(department["id"], "editor"),
        "other_editor": factories.member(factories.department()["id"], "editor"),
        "requester": factories.user(),
        "bureau": factories.sysadmin(),
        "dataset": factories.dataset(department["id"]),
    }


def test_the_public_list_shows_state_and_support_but_no_personal_details(app, world):
    routed = factories.routed_demand(world["requester"], world["department"]["id"], contact_name="赵隐私",
                                     contact_phone="13700001111", purpose="内部用途")
    factories.demand(world["requester"], title="尚未分派的需求")

    page = app.get("/demands").body

    assert routed["title"] in page and "待部门确认" in page and world["department"]["title"] in page
    assert "尚未分派的需求" not in page
    assert "赵隐私" not in page and "13700001111" not in page and "内部用途" not in page
    assert world["requester"]["name"] not in page


def test_the_demand_page_hides_the_requester_from_the_public(app, world):
    routed = factories.routed_demand(world["requester"], world["department"]["id"], contact_name="赵隐私")

    public = app.get(f"/demands/{routed['id']}").body
    department = app.get(f"/demands/{routed['id']}", headers=_headers(world["editor"])).body

    assert routed["title"] in public and "赵隐私" not in public and "govdata-demand-timeline" in public
    assert "赵隐私" in department


def test_a_demand_not_yet_routed_is_not_found_by_others(app, world):
    submitted = factories.demand(world["requester"])

    app.get(f"/demands/{submitted['id']}", status=404)
    app.get(f"/demands/{submitted['id']}", headers=_headers(world["editor"]), status=404)
    app.get(f"/demands/{submitted['id']}", headers=_headers(world["requester"]), status=200)


def test_the_form_asks_anonymous_visitors_to_sign_in(app):
    response = app.get("/demands/new", follow_redirects=False)

    assert response.status_code == 302 and "/user/login" in response.headers["Location"]


def test_submitting_the_form_leads_to_the_demands_page(app, world):
    response = app.post("/demands/new", data=_form(title="全市公共厕所位置"), headers=_headers(world["requester"]),
                        follow_redirects=False)

    assert response.status_code == 302 and "/demands/" in response.headers["Location"]
    page = app.get(response.headers["Location"], headers=_headers(world["requester"])).body
    assert "全市公共厕所位置" in page and "待分派" in page and "撤回需求" in page


def test_bad_input_names_each_field_in_chinese_and_english_and_writes_nothing(app, world):
    form = _form(title="", contact_email="not-an-email", contact_phone="电话", domain="no-such-domain")

    response = app.post("/demands/new", data=form, headers=_headers(world["requester"]), status=400)

    page = response.body
    assert "需求数据名称为必填项" in page
    for field in ("title", "contact_email", "contact_phone", "domain"):
        assert f'data-field="{field}"' in page, field
    assert "Name of the data needed is required" in page and "Contact email" in page
    assert _count() == 0


def test_the_api_names_each_refused_field_bilingually(app, world):
    response = app.post(
        "/api/3/action/govdata_demand_create", json={"title": ["list"], "description": "x" * 5000, "purpose": "p",
                                                      "contact_name": "李", "suggested_organization_id": "nowhere"},
        headers=_headers(world["requester"]), status=409,
    )

    error = response.json["error"]
    assert set(error) >= {"title", "description", "contact_phone", "suggested_organization_id"}
    assert all(" / " in message for field, messages in error.items() if field != "__type" for message in messages)


@pytest.mark.ckan_config("ckanext.govdata.demands.submit_limit_per_user", "2")
def test_one_user_is_limited_per_window(app, world):
    headers = _headers(world["requester"])
    answers = [app.post("/demands/new", data=_form(), headers=headers, follow_redirects=False).status_code
               for _ in range(3)]

    assert answers == [302, 302, 429]
    assert _count() == 2
    refused = app.post("/demands/new", data=_form(), headers=headers, status=429).body
    assert "提交需求过于频繁" in refused and "Too many demands submitted" in refused
    other = app.post("/demands/new", data=_form(), headers=_headers(factories.user()), follow_redirects=False)
    assert other.status_code == 302


@pytest.mark.ckan_config("ckanext.govdata.demands.submit_limit_per_address", "3")
def test_one_address_is_limited_across_accounts(app, world):
    answers = [
        app.post("/demands/new", data=_form(), headers=_headers(factories.user()), follow_redirects=False,
                 environ_base={"REMOTE_ADDR": "203.0.113.7"}).status_code
        for _ in range(4)
    ]
    elsewhere = app.post("/demands/new", data=_form(), headers=_headers(factories.user()), follow_redirects=False,
                         environ_base={"REMOTE_ADDR": "198.51.100.1"})

    assert answers == [302, 302, 302, 429]
    assert elsewhere.status_code == 302


@pytest.mark.ckan_config("ckanext.govdata.demands.submit_limit_per_user", "1")
def test_a_refused_submission_does_not_use_up_the_limit(app, world):
    headers = _headers(world["requester"])

    app.post("/demands/new", data=_form(title=""), headers=headers, status=400)
    accepted = app.post("/demands/new", data=_form(), headers=headers, follow_redirects=False)

    assert accepted.status_code == 302


def test_the_page_offers_each_viewer_only_their_operations(app, world):
    submitted = factories.demand(world["requester"])
    routed = factories.routed_demand(world["requester"], world["department"]["id"])

    bureau = app.get(f"/demands/{submitted['id']}", headers=_headers(world["bureau"])).body
    editor = app.get(f"/demands/{routed['id']}", headers=_headers(world["editor"])).body
    other = app.get(f"/demands/{routed['id']}", headers=_headers(world["other_editor"])).body
    requester = app.get(f"/demands/{routed['id']}", headers=_headers(world["requester"])).body

    assert 'value="route"' in bureau and 'value="dismiss"' in bureau and 'value="accept"' not in bureau
    assert 'value="accept"' in editor and 'value="decline"' in editor and 'value="already_open"' in editor
    assert 'value="route"' not in editor
    assert 'value="accept"' not in other and 'value="support"' in other
    assert 'value="withdraw"' in requester and 'value="support"' not in requester


def test_the_department_works_the_demand_through_its_page(app, world):
    routed = factories.routed_demand(world["requester"], world["department"]["id"])
    headers = _headers(world["editor"])

    app.post(f"/demands/{routed['id']}/act", data={"operation": "accept"}, headers=headers)
    refused = app.post(f"/demands/{routed['id']}/act", data={"operation": "provide", "package_id": "nothing"},
                       headers=headers, follow_redirects=True).body
    app.post(f"/demands/{routed['id']}/act", data={"operation": "provide", "package_id": world["dataset"]["name"]},
             headers=headers)
    other = app.post(f"/demands/{routed['id']}/act", data={"operation": "decline", "reason": "x"},
                     headers=_headers(world["other_editor"]), status=403)

    page = app.get(f"/demands/{routed['id']}").body
    assert "须为已发布的数据集" in refused
    assert "数据已提供" in page and world["dataset"]["title"] in page
    assert other.status_code == 403


def test_others_add_their_support_from_the_list(app, world):
    routed = factories.routed_demand(world["requester"], world["department"]["id"])
    supporter = _headers(factories.user())

    before = app.get("/demands", headers=supporter).body
    app.post(f"/demands/{routed['id']}/act", data={"operation": "support", "came_from": "index"}, headers=supporter)
    app.post(f"/demands/{routed['id']}/act", data={"operation": "support", "came_from": "index"}, headers=supporter)
    after = app.get("/demands", headers=supporter).body

    assert 'value="support"' in before
    assert 'value="support"' not in after and "已支持" in after
    assert call_action("govdata_demand_show", {}, id=routed["id"])["supporters"] == 1


def test_the_queue_and_ledger_are_for_staff(app, world):
    factories.routed_demand(world["requester"], world["department"]["id"], title="交通局的需求")
    factories.routed_demand(world["requester"], factories.department()["id"], title="别的部门的需求")

    queue = app.get("/demands/queue", headers=_headers(world["editor"])).body
    ledger = app.get("/demands/ledger", headers=_headers(world["editor"])).body

    assert "交通局的需求" in queue and "别的部门的需求" not in queue
    assert "交通局的需求" in ledger and "别的部门的需求" not in ledger
    app.get("/demands/queue", headers=_headers(world["requester"]), status=403)
    app.get("/demands/ledger", headers=_headers(world["requester"]), status=403)
    app.get("/demands/ledger/export", headers=_headers(world["requester"]), status=403)


def test_the_ledger_downloads_as_excel_and_csv(app, world):
    routed = factories.routed_demand(world["requester"], world["department"]["id"], contact_name="=HYPERLINK(1)")
    call_action("govdata_demand_confirm", {"user": world["editor"]["name"]}, id=routed["id"], decision="accept")

    xlsx = app.get("/demands/ledger/export", query_string={"format": "xlsx"}, headers=_headers(world["editor"]))
    csv = app.get("/demands/ledger/export", query_string={"format": "csv"}, headers=_headers(world["editor"]))

    demands, steps = load_workbook(io.BytesIO(xlsx.data)).worksheets
    header = [cell.value for cell in demands[1]]
    row = dict(zip(header, [cell.value for cell in demands[2]], strict=True))
    assert row["需求人"] == "'=HYPERLINK(1)"
    assert row["状态"] == "已受理，数据准备中" and row["是否按时确认"] == "按时"
    assert row["确认用时（工作日）"] == 0
    assert [cell.value for cell in steps["B"]][1:] == ["提交需求", "分派至部门", "需求已受理"]
    text = csv.data.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("需求编号,") and "'=HYPERLINK(1)" in text


def test_the_pages_speak_english_too(app, world):
    routed = factories.routed_demand(world["requester"], world["department"]["id"])

    listing = app.get("/en/demands").body
    page = app.get(f"/en/demands/{routed['id']}").body

    assert "Data demands" in listing and "Awaiting department confirmation" in listing
    assert "Progress" in page and "Routed to a department" in page
