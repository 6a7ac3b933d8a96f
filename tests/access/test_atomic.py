"""One user operation is one transaction: a failing action leaves nothing, a deferred one commits nothing."""
from __future__ import annotations

import pytest
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.govdata.access.logic import common
from ckanext.govdata.access.model import AccessRequest, AccessRequestEvent
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _as(user):
    return {"user": user["name"], "ignore_auth": False}


@pytest.fixture
def dataset():
    return factories.conditional_dataset(factories.department()["id"], data_subject_type="none")


def test_a_create_that_fails_after_its_first_insert_leaves_nothing_behind(dataset, monkeypatch):
    applicant = factories.user()
    fields = factories.request_fields(dataset["id"], subject_id=None, subject_consent=None)

    def history_down(*args, **kwargs):
        raise RuntimeError("history store down")

    monkeypatch.setattr(common, "record", history_down)
    with pytest.raises(RuntimeError):
        call_action("govdata_access_request_create", _as(applicant), **fields)

    assert model.Session.query(AccessRequest).count() == 0
    assert model.Session.query(AccessRequestEvent).count() == 0


def test_a_deferred_commit_is_left_to_the_caller(dataset):
    applicant = factories.user()
    draft = factories.access_request(applicant, dataset["id"], subject_id=None, subject_consent=None, submit=False)

    deferred = call_action("govdata_access_request_submit", dict(_as(applicant), defer_commit=True), id=draft["id"])
    model.Session.rollback()
    after_rollback = model.Session.get(AccessRequest, draft["id"]).state
    committed = call_action("govdata_access_request_submit", _as(applicant), id=draft["id"])
    model.Session.rollback()

    assert deferred["state"] == "submitted" and after_rollback == "draft"
    assert committed["state"] == "submitted" and model.Session.get(AccessRequest, draft["id"]).state == "submitted"
