"""Showcases through the action API: submission, editing, moderation and who sees what."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests.helpers import call_action

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _as(user: dict | None) -> dict:
    return {"user": user["name"] if user else "", "ignore_auth": False}


def test_a_registered_user_submits_a_showcase_that_awaits_moderation():
    dataset = factories.dataset()
    author = factories.user()

    created = factories.showcase(author, datasets=[dataset["name"]])

    assert created["type"] == "showcase"
    assert created["moderation_state"] == "pending"
    assert created["datasets"] == [dataset["id"]]
    assert created.get("owner_org") is None
    assert created["name"].startswith("showcase-")


def test_anonymous_visitors_cannot_submit():
    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_showcase_create", _as(None), **factories.showcase_fields())


def test_bad_fields_are_refused_with_bilingual_messages_naming_the_field():
    author = factories.user()

    with pytest.raises(tk.ValidationError) as refused:
        call_action(
            "govdata_showcase_create",
            _as(author),
            **factories.showcase_fields(category="game", title="", datasets=["no-such-dataset"]),
        )

    errors = refused.value.error_dict
    assert "成果类别" in errors["category"][0] and "Category" in errors["category"][0]
    assert " / " in errors["title"][0]
    assert "no-such-dataset" in errors["datasets"][0]


def test_showcases_cannot_use_other_showcases_or_private_datasets():
    department = factories.department()
    private = factories.dataset(department["id"], private=True)
    other = factories.showcase()

    for reference in (private["name"], other["name"]):
        with pytest.raises(tk.ValidationError) as refused:
            factories.showcase(datasets=[reference])
        assert reference in refused.value.error_dict["datasets"][0]


def test_the_submitter_cannot_set_the_moderation_state():
    author = factories.user()

    created = factories.showcase(author, moderation_state="published")
    patched = call_action("package_patch", _as(author), id=created["id"], moderation_state="published")

    assert created["moderation_state"] == "pending"
    assert patched["moderation_state"] == "pending"


def test_pending_showcases_are_seen_by_their_author_and_moderators_only(ckan_config, monkeypatch):
    author = factories.user()
    stranger = factories.user()
    moderator = factories.user()
    monkeypatch.setitem(ckan_config, "ckanext.govdata.showcase.moderators", [moderator["name"]])
    created = factories.showcase(author)

    for viewer in (author, moderator, factories.sysadmin()):
        assert call_action("package_show", _as(viewer), id=created["id"])["id"] == created["id"]
    for viewer in (stranger, None):
        with pytest.raises(tk.NotAuthorized):
            call_action("package_show", _as(viewer), id=created["id"])

    def found(viewer):
        result = call_action("package_search", _as(viewer), fq="dataset_type:showcase", include_private=True)
        return [package["id"] for package in result["results"]]

    assert found(author) == [created["id"]]
    assert found(moderator) == [created["id"]]
    assert found(stranger) == []
    assert found(None) == []


def test_moderation_publishes_returns_and_rejects(ckan_config, monkeypatch):
    author = factories.user()
    moderator = factories.user()
    monkeypatch.setitem(ckan_config, "ckanext.govdata.showcase.moderators", [moderator["name"]])
    created = factories.showcase(author)

    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_showcase_moderate", _as(author), id=created["id"], decision="published")
    with pytest.raises(tk.ValidationError) as refused:
        call_action("govdata_showcase_moderate", _as(moderator), id=created["id"], decision="returned")
    assert "comment" in refused.value.error_dict

    returned = call_action(
        "govdata_showcase_moderate", _as(moderator), id=created["id"], decision="returned", comment="请补充截图"
    )
    assert returned["showcase"]["moderation_state"] == "returned"
    reviews = call_action("govdata_showcase_review_list", _as(author), id=created["id"])
    assert [(review["decision"], review["comment"]) for review in reviews] == [("returned", "请补充截图")]

    resubmitted = call_action("govdata_showcase_update", _as(author), id=created["id"], notes="已补充说明。")
    assert resubmitted["moderation_state"] == "pending"

    published = call_action("govdata_showcase_moderate", _as(moderator), id=created["id"], decision="published")
    assert published["showcase"]["moderation_state"] == "published"
    assert call_action("package_show", _as(None), id=created["id"])["id"] == created["id"]

    rejected = call_action(
        "govdata_showcase_moderate", _as(moderator), id=created["id"], decision="rejected", comment="与开放数据无关"
    )
    assert rejected["showcase"]["moderation_state"] == "rejected"
    with pytest.raises(tk.NotAuthorized):
        call_action("govdata_showcase_update", _as(author), id=created["id"], notes="再试一次")


def test_unknown_decisions_are_refused():
    created = factories.showcase()

    with pytest.raises(tk.ValidationError) as refused:
        call_action("govdata_showcase_moderate", factories.site_context(), id=created["id"], decision="approve")

    assert "decision" in refused.value.error_dict


def test_an_authors_edit_of_a_published_showcase_goes_back_to_moderation():
    author = factories.user()
    published = factories.published_showcase(author)

    edited = call_action("govdata_showcase_update", _as(author), id=published["id"], title="新标题")

    assert edited["moderation_state"] == "pending"
    assert edited["title"] == "新标题"
    with pytest.raises(tk.NotAuthorized):
        call_action("package_show", _as(None), id=published["id"])


def test_a_moderators_edit_keeps_the_showcase_published():
    published = factories.published_showcase()

    edited = call_action("govdata_showcase_update", factories.site_context(), id=published["id"], title="修正错别字")

    assert edited["moderation_state"] == "published"


def test_only_the_author_and_moderators_edit_a_showcase():
    author = factories.user()
    created = factories.showcase(author)
    stranger = factories.user()

    for action in ("govdata_showcase_update", "package_patch"):
        with pytest.raises(tk.NotAuthorized):
            call_action(action, _as(stranger), id=created["id"], title="别人的修改")
    with pytest.raises(tk.NotAuthorized):
        call_action("package_delete", _as(stranger), id=created["id"])

    call_action("package_delete", _as(author), id=created["id"])


def test_package_search_leaves_showcases_out_unless_asked_for_them():
    dataset = factories.dataset()
    published = factories.published_showcase(datasets=[dataset["id"]])

    everything = call_action("package_search", _as(None))
    showcases = call_action("package_search", _as(None), fq="+dataset_type:showcase")

    assert [package["id"] for package in everything["results"]] == [dataset["id"]]
    assert everything["count"] == 1
    assert [package["id"] for package in showcases["results"]] == [published["id"]]


def test_the_datasets_of_a_showcase_list_it_once_published():
    dataset = factories.dataset()
    api = factories.dataservice()
    pending = factories.showcase(datasets=[dataset["name"], api["name"]])
    published = factories.published_showcase(datasets=[api["name"]])

    using_dataset = call_action("govdata_showcase_list_for_package", _as(None), id=dataset["id"])
    using_api = call_action("govdata_showcase_list_for_package", _as(None), id=api["name"])

    assert using_dataset == []
    assert [showcase["id"] for showcase in using_api] == [published["id"]]
    assert pending["id"] not in [showcase["id"] for showcase in using_api]
