"""Review before publishing: a department's entry is a draft, invisible to the public on every
path, until it is submitted and the bureau publishes it; returned with comments; each step in
the activity stream; the bureau's own entries are published."""
from __future__ import annotations

import pytest
from ckan.logic import NotAuthorized, ValidationError
from ckan.tests.helpers import call_action

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


@pytest.fixture
def editor(department):
    return factories.member(department["id"], role="editor")


def _as(user, action, **data):
    return call_action(action, {"user": user["name"], "ignore_auth": False}, **data)


def _api(app, action, user=None, **params):
    headers = {"Authorization": user["token"]} if user else {}
    return app.get(f"/api/3/action/{action}", query_string=params, headers=headers)


@pytest.fixture
def draft(department, editor):
    """A dataset an editor created through the action API, with a data file."""
    created = _as(editor, "package_create", **factories.dataset_fields(department["id"], private=False))
    factories.uploaded_resource(created["id"])
    return call_action("package_show", id=created["id"])


def test_a_department_entry_starts_as_a_draft_hidden_from_the_public(app, draft, editor):
    assert (draft["review_state"], draft["private"]) == ("draft", True)

    assert _api(app, "package_show", id=draft["id"]).status_code == 403
    assert _api(app, "package_search", q="*:*").json["result"]["count"] == 0
    assert _api(app, "resource_show", id=draft["resources"][0]["id"]).status_code == 403
    assert app.get(f"/dataset/{draft['name']}").status_code == 404
    assert draft["name"] not in app.get("/catalog.ttl").get_data(as_text=True)
    assert call_action("govdata_statistics", {"user": ""})["figures"]["datasets"] == 0
    # Its department sees it.
    assert _api(app, "package_show", editor, id=draft["id"]).status_code == 200


def test_the_department_cannot_publish_by_itself(draft, editor):
    _as(editor, "package_patch", id=draft["id"], private=False, review_state="published")
    with pytest.raises(NotAuthorized):
        _as(editor, "govdata_review_decide", id=draft["id"], decision="publish")

    shown = call_action("package_show", id=draft["id"])
    assert (shown["review_state"], shown["private"]) == ("draft", True)


def test_submit_publish_return_and_resubmit(app, draft, editor, sysadmin):
    submitted = _as(editor, "govdata_review_submit", id=draft["id"], comment="请审核")
    assert submitted["review_state"] == "submitted"
    assert submitted["allowed_operations"] == []
    queue = _as(sysadmin, "govdata_review_list")
    assert [entry["id"] for entry in queue["results"]] == [draft["id"]]

    with pytest.raises(ValidationError) as refused:
        _as(sysadmin, "govdata_review_decide", id=draft["id"], decision="return")
    assert "comment" in refused.value.error_dict
    returned = _as(sysadmin, "govdata_review_decide", id=draft["id"], decision="return", comment="摘要不完整")
    assert returned["review_state"] == "returned"
    assert _api(app, "package_show", id=draft["id"]).status_code == 403

    _as(editor, "package_patch", id=draft["id"], notes="补充后的摘要。")
    _as(editor, "govdata_review_submit", id=draft["id"])
    published = _as(sysadmin, "govdata_review_decide", id=draft["id"], decision="publish")

    assert published["review_state"] == "published"
    assert _api(app, "package_show", id=draft["id"]).json["result"]["private"] is False
    assert _api(app, "package_search", q="*:*").json["result"]["count"] == 1
    assert call_action("govdata_statistics", {"user": ""})["figures"]["datasets"] == 1
    steps = [(step["operation"], step["actor"], step["comment"]) for step in published["steps"]]
    assert steps == [("submit", editor["name"], "请审核"), ("return", sysadmin["name"], "摘要不完整"),
                     ("submit", editor["name"], ""), ("publish", sysadmin["name"], "")]
    # Edits after publishing keep the entry published.
    _as(editor, "package_patch", id=draft["id"], title="绍兴市公交客运量（修订）")
    assert call_action("package_show", id=draft["id"])["review_state"] == "published"


def test_review_steps_are_in_the_activity_stream_for_the_department_only(app, draft, editor, sysadmin):
    _as(editor, "govdata_review_submit", id=draft["id"], comment="内部说明")
    _as(sysadmin, "govdata_review_decide", id=draft["id"], decision="publish")

    staff = _api(app, "package_activity_list", editor, id=draft["id"]).json["result"]
    public = _api(app, "package_activity_list", id=draft["id"]).json["result"]

    assert {"submitted package", "published package"} <= {activity["activity_type"] for activity in staff}
    assert not {"submitted package", "published package"} & {activity["activity_type"] for activity in public}
    page = app.get(f"/dataset/activity/{draft['name']}", headers={"Authorization": editor["token"]})
    text = page.get_data(as_text=True)
    assert "内部说明" in text and "提交了" in text and "发布了" in text


def test_an_entry_without_data_is_not_published(department, editor, sysadmin):
    empty = _as(editor, "package_create", **factories.dataset_fields(department["id"]))
    _as(editor, "govdata_review_submit", id=empty["id"])

    with pytest.raises(ValidationError) as refused:
        _as(sysadmin, "govdata_review_decide", id=empty["id"], decision="publish")

    assert "review_state" in refused.value.error_dict
    assert call_action("package_show", id=empty["id"])["review_state"] == "submitted"


def test_only_the_entrys_department_submits_and_only_the_bureau_decides(draft, editor):
    other = factories.member(factories.department()["id"], role="editor")

    with pytest.raises(NotAuthorized):
        _as(other, "govdata_review_submit", id=draft["id"])
    with pytest.raises(NotAuthorized):
        _as(factories.user(), "govdata_review_list")
    with pytest.raises(NotAuthorized):
        _as(other, "govdata_review_show", id=draft["id"])


def test_the_bureau_publishes_its_own_entries_and_private_still_unpublishes(department, sysadmin):
    created = _as(sysadmin, "package_create", **factories.dataset_fields(department["id"]))
    assert (created["review_state"], created["private"]) == ("published", False)

    _as(sysadmin, "package_patch", id=created["id"], private=True)
    assert call_action("package_show", id=created["id"])["review_state"] == "draft"


def test_the_dataset_page_offers_the_allowed_steps_and_performs_them(app, draft, editor, sysadmin):
    page = app.get(f"/dataset/{draft['name']}", headers={"Authorization": editor["token"]}).get_data(as_text=True)
    assert 'data-review-state="draft"' in page and "govdata-review-submit" in page and "govdata-review-publish" not in page

    app.post(f"/dataset/{draft['name']}/review", data={"operation": "submit", "comment": ""},
             headers={"Authorization": editor["token"]})
    queue = app.get("/directory/review", headers={"Authorization": sysadmin["token"]}).get_data(as_text=True)
    assert draft["title"] in queue
    page = app.get(f"/dataset/{draft['name']}", headers={"Authorization": sysadmin["token"]}).get_data(as_text=True)
    assert "govdata-review-publish" in page and "govdata-review-return" in page

    app.post(f"/dataset/{draft['name']}/review", data={"operation": "publish"}, headers={"Authorization": sysadmin["token"]})
    assert app.get(f"/dataset/{draft['name']}").status_code == 200
    refused = app.post(f"/dataset/{draft['name']}/review", data={"operation": "unpublish"},
                       headers={"Authorization": editor["token"]})
    assert refused.status_code == 403


def test_the_review_names_the_entries_it_looks_like(app, department, editor, sysadmin):
    existing = factories.dataset(department["id"], title="绍兴市行政处罚信息公示")
    draft = _as(editor, "package_create", **factories.dataset_fields(department["id"], title="绍兴市行政处罚信息公示表"))

    shown = _as(sysadmin, "govdata_review_show", id=draft["id"])

    assert [(other["id"], other["reason"]) for other in shown["duplicates"]] == [(existing["id"], "title")]
    page = app.get(f"/dataset/{draft['name']}", headers={"Authorization": sysadmin["token"]}).get_data(as_text=True)
    assert "govdata-review-duplicates" in page and existing["title"] in page


def test_a_department_cannot_publish_or_unpublish_in_bulk(app, department, sysadmin):
    admin = factories.member(department["id"], role="admin")
    draft = _as(admin, "package_create", **factories.dataset_fields(department["id"]))
    body = {"datasets": [draft["id"]], "org_id": department["id"]}

    refused = app.post("/api/3/action/bulk_update_public", json=body, headers={"Authorization": admin["token"]})
    assert refused.status_code == 403
    assert app.post("/api/3/action/bulk_update_private", json=body,
                    headers={"Authorization": admin["token"]}).status_code == 403
    assert call_action("package_show", id=draft["id"])["review_state"] == "draft"

    published = app.post("/api/3/action/bulk_update_public", json=body, headers={"Authorization": sysadmin["token"]})
    assert published.status_code == 200
    assert call_action("package_show", id=draft["id"])["review_state"] == "published"
