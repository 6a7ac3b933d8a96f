"""Open scenarios (开放场景): curated by staff, shown to everyone with what each viewer may see."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests.helpers import call_action

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _as(user: dict | None) -> dict:
    return {"user": user["name"] if user else "", "ignore_auth": False}


def _auth(user: dict) -> dict:
    return {"Authorization": user["token"]}


def test_staff_create_a_scenario_with_ordered_datasets_and_a_picture():
    department = factories.department()
    bus = factories.dataset(department["id"], title="公交客运量")
    api = factories.dataservice(department["id"])
    parking = factories.dataset(department["id"], title="停车场泊位")

    scenario = call_action(
        "govdata_scenario_create",
        factories.site_context(),
        name="transport",
        title="综合交通",
        description="出行相关的数据。",
        packages=f"{parking['name']}, {api['name']}, {bus['id']}",
        image_upload=factories.image_upload(1200, 600),
    )

    assert [package["id"] for package in scenario["packages"]] == [parking["id"], api["id"], bus["id"]]
    assert scenario["image"]["width"] == 1200
    listed = call_action("govdata_scenario_list", _as(None))
    assert [(item["name"], item["package_count"]) for item in listed] == [("transport", 3)]


def test_only_staff_curate_scenarios(ckan_config, monkeypatch):
    user = factories.user()
    curator = factories.user()
    monkeypatch.setitem(ckan_config, "ckanext.govdata.showcase.moderators", [curator["name"]])

    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_scenario_create", _as(user), name="heritage", title="古城保护")
    created = call_action("govdata_scenario_create", _as(curator), name="heritage", title="古城保护")
    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_scenario_update", _as(user), id=created["id"], title="改名")
    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_scenario_delete", _as(user), id=created["id"])


def test_bad_scenarios_are_refused_naming_the_field():
    call_action("govdata_scenario_create", factories.site_context(), name="transport", title="综合交通")

    cases = [
        ({"name": "transport", "title": "重复"}, "name"),
        ({"name": "Bad Name!", "title": "名称"}, "name"),
        ({"name": "ok-name", "title": ""}, "title"),
        ({"name": "ok-name", "title": "名称", "packages": "no-such-dataset"}, "packages"),
        ({"name": "ok-name", "title": "名称", "image_upload": factories.image_upload(20, 20)}, "image_upload"),
    ]
    for fields, field in cases:
        with pytest.raises(tk.ValidationError) as refused:
            call_action("govdata_scenario_create", factories.site_context(), **fields)
        assert field in refused.value.error_dict, fields
        assert " / " in refused.value.error_dict[field][0]


def test_updating_reorders_and_private_datasets_stay_hidden():
    department = factories.department()
    first = factories.dataset(department["id"])
    second = factories.dataset(department["id"])
    scenario = call_action(
        "govdata_scenario_create", factories.site_context(), name="scene", title="场景", packages=[first["id"], second["id"]]
    )

    updated = call_action("govdata_scenario_update", factories.site_context(), id="scene", packages=[second["name"], first["name"]])
    call_action("package_patch", factories.site_context(), id=first["id"], private=True)

    assert [package["id"] for package in updated["packages"]] == [second["id"], first["id"]]
    shown = call_action("govdata_scenario_show", _as(None), id=scenario["id"])
    assert [package["id"] for package in shown["packages"]] == [second["id"]]


def test_scenario_pages(app):
    department = factories.department()
    bus = factories.dataset(department["id"], title="公交客运量统计")
    staff = factories.sysadmin()
    call_action(
        "govdata_scenario_create",
        factories.site_context(),
        name="transport",
        title="综合交通",
        packages=[bus["id"]],
        image_upload=factories.image_upload(),
    )

    listing = app.get("/scenario/").body
    page = app.get("/scenario/transport").body

    assert "开放场景" in listing and "综合交通" in listing and "/scenario/transport/image/" in listing
    assert "公交客运量统计" in page
    assert "编辑场景" not in page
    assert "编辑场景" in app.get("/scenario/transport", headers=_auth(staff)).body
    app.get("/scenario/nowhere", status=404)
    app.get("/scenario/new", headers=_auth(factories.user()), status=403)


def test_staff_curate_through_the_form(app):
    staff = factories.sysadmin()
    bus = factories.dataset()

    response = app.post(
        "/scenario/new",
        headers=_auth(staff),
        data={"title": "古城保护", "name": "heritage", "packages": bus["name"], "image_upload": factories.image_upload()},
        follow_redirects=False,
    )
    assert response.status_code == 302
    assert bus["title"] in app.get("/scenario/heritage").body

    errors = app.post("/scenario/new", headers=_auth(staff), data={"title": "", "name": "heritage"}).body
    assert "This URL name is already used" in errors or "Title is required" in errors
