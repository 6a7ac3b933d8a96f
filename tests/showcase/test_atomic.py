"""One user operation is one transaction: a showcase action that fails after its first write
leaves nothing behind, and a caller that defers the commit owns the transaction."""
from __future__ import annotations

import pytest
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.govdata.showcase import images
from ckanext.govdata.showcase.logic.contests import entry as entry_actions
from ckanext.govdata.showcase.model import ContestEntry
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


class StorageDown(RuntimeError):
    pass


def _showcase_count() -> int:
    return model.Session.query(model.Package).filter(model.Package.type == "showcase").count()


def _fail(*args, **kwargs):
    raise StorageDown("the database went away")


def test_a_failing_entry_submission_leaves_no_showcase_entry_or_screenshot(monkeypatch):
    team_leader = factories.user()
    team = factories.contest_team(factories.contest()["id"], team_leader)
    stored: list[dict] = []
    store = images.store

    def spying_store(upload):
        image = store(upload)
        stored.append(image.as_dict())
        return image

    monkeypatch.setattr(images, "store", spying_store)
    # The showcase is written (package_create ran) before the entry row fails.
    monkeypatch.setattr(entry_actions, "ContestEntry", _fail)

    with pytest.raises(StorageDown):
        factories.contest_entry(team["id"], team_leader, title="失败的作品", screenshot_upload=factories.image_upload())

    model.Session.remove()
    assert _showcase_count() == 0
    assert model.Session.query(ContestEntry).count() == 0
    assert stored and all(images.open(image["file"]) is None for image in stored)


def test_a_deferred_entry_submission_is_the_callers_to_commit_or_roll_back():
    team_leader = factories.user()
    team = factories.contest_team(factories.contest()["id"], team_leader)
    context = {"user": team_leader["name"], "ignore_auth": False, "defer_commit": True}

    call_action("govdata_contest_entry_submit", context, team=team["id"], **factories.showcase_fields(title="未提交"))
    model.Session.rollback()
    assert _showcase_count() == 0 and model.Session.query(ContestEntry).count() == 0

    call_action("govdata_contest_entry_submit", dict(context), team=team["id"], **factories.showcase_fields(title="已提交"))
    model.Session.commit()
    model.Session.remove()
    assert _showcase_count() == 1 and model.Session.query(ContestEntry).count() == 1
