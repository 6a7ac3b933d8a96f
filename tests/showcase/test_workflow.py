"""The moderation table drives every showcase operation: each operation from each state,
through the action API, does what the table says, for whom it says, and nothing else."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
import pytest
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.govdata.showcase import workflow
from ckanext.govdata.showcase.roles import MODERATION_STATES, PENDING
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _as(user: dict) -> dict:
    return {"user": user["name"], "ignore_auth": False}


def _showcase_in(state: str, author: dict) -> dict:
    created = factories.showcase(author)
    if state != PENDING:
        call_action("govdata_showcase_moderate", factories.site_context(), id=created["id"], decision=state, comment="意见")
    return created


def _perform(name: str, actor: dict, showcase_id: str) -> dict:
    operation = workflow.OPERATIONS[name]
    if operation.action == "govdata_showcase_moderate":
        return call_action(operation.action, _as(actor), id=showcase_id, comment="意见", **operation.params)["showcase"]
    return call_action(operation.action, _as(actor), id=showcase_id, notes="改过的说明")


@pytest.mark.parametrize("state", MODERATION_STATES)
@pytest.mark.parametrize("name", list(workflow.OPERATIONS))
def test_each_operation_from_each_state(state, name):
    operation = workflow.OPERATIONS[name]
    author, moderator = factories.user(), factories.sysadmin()
    actor = moderator if operation.role == workflow.MODERATOR else author
    other = factories.user()
    showcase = _showcase_in(state, author)
    package = model.Package.get(showcase["id"])

    assert (name in workflow.allowed_operations(package, actor["name"])) is (state in operation.moves)
    assert name not in workflow.allowed_operations(package, other["name"])
    with pytest.raises(tk.NotAuthorized):
        _perform(name, other, showcase["id"])
    if state not in operation.moves:
        with pytest.raises(tk.NotAuthorized):
            _perform(name, actor, showcase["id"])
        return
    assert _perform(name, actor, showcase["id"])["moderation_state"] == operation.moves[state]

