"""The showcase moderation workflow: one table of who may do what to a showcase in which state.

Actions move a showcase only through ``next_state``; the auth functions ask ``may``; views and
templates ask ``allowed_operations`` (template helper ``govdata_showcase_allowed_operations``).
Nothing else decides what a showcase's state allows.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model

from ckanext.govdata import workflows
from ckanext.govdata.messages import bilingual
from ckanext.govdata.showcase import contests, roles
from ckanext.govdata.showcase.model import Contest
from ckanext.govdata.showcase.roles import MODERATION_STATES, PENDING, PUBLISHED, REJECTED, RETURNED
from ckanext.govdata.workflows import Operation

# Who acts: the moderators (the bureau's staff), and the showcase's editor: its author or, for a
# contest entry, the team's accounts while submissions are open.
MODERATOR = "moderator"
EDITOR = "editor"


OPERATIONS = workflows.table(
    Operation("publish", MODERATOR, dict.fromkeys(MODERATION_STATES, PUBLISHED), "govdata_showcase_moderate", {"decision": PUBLISHED}),
    Operation("return", MODERATOR, dict.fromkeys(MODERATION_STATES, RETURNED), "govdata_showcase_moderate", {"decision": RETURNED}),
    Operation("reject", MODERATOR, dict.fromkeys(MODERATION_STATES, REJECTED), "govdata_showcase_moderate", {"decision": REJECTED}),
    # A moderator's edit (a typo fixed) keeps the state; anyone else's goes back to moderation.
    Operation("edit", MODERATOR, {state: state for state in MODERATION_STATES}, "govdata_showcase_update"),
    Operation("revise", EDITOR, {PENDING: PENDING, RETURNED: PENDING, PUBLISHED: PENDING}, "govdata_showcase_update"),
)
DECISION_OPERATIONS = tuple(name for name, operation in OPERATIONS.items() if operation.action == "govdata_showcase_moderate")
DECISIONS = tuple(OPERATIONS[name].params["decision"] for name in DECISION_OPERATIONS)
EDITS = ("edit", "revise")


def holds_role(role: str, package: model.Package, user: Any) -> bool:
    if role == MODERATOR:
        return roles.is_moderator(user)
    entry = contests.entry_of(package.id)
    if entry is None:
        return roles.is_author(package, user)
    user_obj = roles.user_object(user)
    contest = model.Session.get(Contest, entry.contest_id)
    return (
        user_obj is not None
        and contest is not None
        and contests.is_team_account(entry.team_id, user_obj.id)
        and contests.is_open(contest, contests.SUBMISSION)
    )


def allowed_operations(package: model.Package, user: Any) -> list[str]:
    """What ``user`` may do with the showcase now, in the table's order."""
    return workflows.allowed(OPERATIONS.values(), roles.moderation_state(package), lambda role: holds_role(role, package, user))


def may(package: model.Package, user: Any, *names: str) -> bool:
    """May ``user`` do any of the operations ``names`` with the showcase now?"""
    return any(name in allowed_operations(package, user) for name in names)


def decision_operation(decision: str) -> Operation:
    return next(operation for operation in OPERATIONS.values() if operation.params.get("decision") == decision)


def next_state(package: model.Package | None, user: Any, name: str) -> str:
    """The state operation ``name`` moves the showcase to (a new showcase starts pending).

    An edit is the moderator's ``edit`` when the user may do it, else ``revise``.
    """
    if package is None or not roles.is_showcase(package):
        return PENDING
    if name in EDITS:
        name = "edit" if holds_role(MODERATOR, package, user) else "revise"
    operation = OPERATIONS[name]
    state = roles.moderation_state(package)
    if state not in operation.moves:
        raise tk.ValidationError({"moderation_state": [bilingual("You may not edit this showcase")]})
    return operation.moves[state]
