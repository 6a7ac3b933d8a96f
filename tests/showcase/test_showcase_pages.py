"""Showcase pages, moderation over HTTP, and the paths a pending showcase must not leak through."""
from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _auth(user: dict) -> dict:
    return {"Authorization": user["token"]}


def test_a_pending_showcase_is_hidden_on_every_path_but_from_author_and_moderators(app):
    author = factories.user()
    stranger = factories.user()
    dataset = factories.dataset()
    created = call_action(
        "govdata_showcase_create",
        {"user": author["name"], "ignore_auth": False},
        screenshot_upload=factories.image_upload(),
        **factories.showcase_fields(title="尚未审核的应用", datasets=[dataset["id"]]),
    )
    shot = created["screenshots"][0]
    paths = [
        f"/showcase/{created['name']}",
        f"/dataset/{created['name']}",
        f"/showcase/{created['name']}/image/{shot['thumbnail']}",
        f"/dataset/{created['name']}.rdf",
        f"/dataset/{created['name']}.ttl",
    ]

    for path in paths:
        app.get(path, status=404)
        app.get(path, headers=_auth(stranger), status=404)
    app.get(f"/api/3/action/package_show?id={created['id']}", status=403)
    app.get(f"/api/3/action/package_show?id={created['id']}", headers=_auth(stranger), status=403)
    listings = (
        "/showcase/",
        "/dataset/",
        f"/dataset/{dataset['name']}",
        "/catalog.ttl",
        "/api/3/action/package_search?q=*:*",
        "/api/3/action/package_search?fq=dataset_type:showcase&include_private=true",
        "/api/3/action/package_list",
        "/api/3/action/current_package_list_with_resources",
        "/api/2/util/dataset/autocomplete?incomplete=尚未",
    )
    for path in listings:
        body = app.get(path, headers=_auth(stranger)).body
        assert "尚未审核的应用" not in body and created["name"] not in body, path

    page = app.get(f"/showcase/{created['name']}", headers=_auth(author)).body
    assert "尚未审核的应用" in page and "等待审核" in page
    app.get(f"/showcase/{created['name']}/image/{shot['thumbnail']}", headers=_auth(author), status=200)
    moderator_page = app.get(f"/showcase/{created['name']}", headers=_auth(factories.sysadmin())).body
    assert 'name="decision" value="published"' in moderator_page
    assert 'name="decision"' not in page


def test_published_showcases_are_public_but_never_dcat_datasets(app):
    dataset = factories.dataset()
    published = factories.published_showcase(title="公交到站提醒", datasets=[dataset["id"]])

    assert "公交到站提醒" in app.get(f"/showcase/{published['name']}").body
    assert "公交到站提醒" in app.get("/showcase/").body
    assert "公交到站提醒" not in app.get("/dataset/").body
    app.get(f"/dataset/{published['name']}.rdf", status=404)
    catalog = app.get("/catalog.ttl").body
    assert dataset["title"] in catalog and "公交到站提醒" not in catalog


def test_the_dataset_page_lists_the_published_showcases_that_use_it(app):
    dataset = factories.dataset()
    api = factories.dataservice()
    factories.published_showcase(title="公交到站提醒", datasets=[dataset["id"], api["id"]])
    factories.showcase(title="待审核的应用", datasets=[dataset["id"]])

    dataset_page = app.get(f"/dataset/{dataset['name']}").body
    api_page = app.get(f"/dataservice/{api['name']}").body

    assert "公交到站提醒" in dataset_page and "公交到站提醒" in api_page
    assert "待审核的应用" not in dataset_page
    assert "使用此数据的应用" in dataset_page


def test_the_home_page_counts_no_showcases(app):
    factories.dataset()
    factories.published_showcase()

    statistics = call_action("package_search", {"user": "", "ignore_auth": False}, rows=0)

    assert statistics["count"] == 1


def test_submitting_through_the_form_with_a_screenshot(app):
    author = factories.user()
    dataset = factories.dataset()

    form = app.get("/showcase/submit", headers=_auth(author)).body
    assert 'enctype="multipart/form-data"' in form
    response = app.post(
        "/showcase/submit",
        headers=_auth(author),
        data={
            "title": "古城游览助手",
            "notes": "古城保护数据的导览应用。",
            "category": "web",
            "author": "兰亭团队",
            "datasets": dataset["name"],
            "screenshot_upload": factories.image_upload(),
        },
        follow_redirects=False,
    )

    assert response.status_code == 302
    anonymous = {"user": "", "ignore_auth": False}
    assert call_action("package_search", anonymous, fq="+dataset_type:showcase")["results"] == []
    page = app.get(response.headers["Location"], headers=_auth(author)).body
    assert "古城游览助手" in page and dataset["title"] in page and "/image/" in page


def test_the_form_shows_bilingual_errors_next_to_the_fields(app):
    author = factories.user()

    page = app.post(
        "/showcase/submit",
        headers=_auth(author),
        data={"title": "", "notes": "说明", "category": "game", "author": "团队", "screenshot_upload": factories.image_upload(10, 10)},
    ).body

    assert "Unknown value for Category: game" in page
    assert "10×10" in page


def test_anonymous_visitors_are_sent_to_log_in(app):
    response = app.get("/showcase/submit", follow_redirects=False)

    assert response.status_code == 302
    assert "/user/login" in response.headers["Location"]


def test_moderation_over_http(app, ckan_config, monkeypatch):
    author = factories.user()
    moderator = factories.user()
    monkeypatch.setitem(ckan_config, "ckanext.govdata.showcase.moderators", [moderator["name"]])
    created = factories.showcase(author, title="数据看板")

    app.get("/showcase/moderation", headers=_auth(author), status=403)
    assert "数据看板" in app.get("/showcase/moderation", headers=_auth(moderator)).body
    app.post(f"/showcase/{created['name']}/moderate", headers=_auth(author), data={"decision": "published"}, status=403)
    app.post(
        f"/showcase/{created['name']}/moderate",
        headers=_auth(moderator),
        data={"decision": "returned", "comment": "请补充使用的数据集"},
    )

    page = app.get(f"/showcase/{created['name']}", headers=_auth(author)).body
    assert "请补充使用的数据集" in page and "退回修改" in page
    app.post(f"/showcase/{created['name']}/moderate", headers=_auth(moderator), data={"decision": "published"})
    assert "数据看板" in app.get(f"/showcase/{created['name']}").body


def test_only_editors_reach_the_edit_form(app):
    author = factories.user()
    created = factories.showcase(author)

    app.get(f"/showcase/{created['name']}/revise", headers=_auth(factories.user()), status=404)
    assert 'name="screenshot_upload"' in app.get(f"/showcase/{created['name']}/revise", headers=_auth(author)).body
