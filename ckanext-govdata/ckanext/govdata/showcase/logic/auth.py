"""Auth functions of the showcase plugin. Everything is refused unless a rule below allows it."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz, model
from ckan.logic.auth import get_package_object
from ckan.types import AuthResult, Context, DataDict

from ckanext.govdata.showcase import contests, roles, workflow
from ckanext.govdata.showcase.model import ContestTeam


def _result(allowed: bool, msg: str = "") -> AuthResult:
    return {"success": True} if allowed else {"success": False, "msg": msg or tk._("Not authorized")}


def _user(context: Context) -> Any:
    return context.get("auth_user_obj") or context.get("user")


def _logged_in(context: Context) -> bool:
    return not authz.auth_is_anon_user(context)


def _showcase(context: Context, data_dict: DataDict) -> model.Package:
    package = get_package_object(context, data_dict)
    if not roles.is_showcase(package):
        raise tk.ObjectNotFound(tk._("Showcase not found"))
    return package


def govdata_showcase_create(context: Context, data_dict: DataDict) -> AuthResult:
    """Any registered user may submit a showcase; it is public only once moderated."""
    return _result(_logged_in(context), tk._("Log in to submit a showcase"))


def govdata_showcase_update(context: Context, data_dict: DataDict) -> AuthResult:
    allowed = workflow.may(_showcase(context, data_dict), _user(context), *workflow.EDITS)
    return _result(allowed, tk._("You may not edit this showcase"))


def govdata_showcase_moderate(context: Context, data_dict: DataDict) -> AuthResult:
    allowed = workflow.may(_showcase(context, data_dict), _user(context), *workflow.DECISION_OPERATIONS)
    return _result(allowed, tk._("Only moderators may moderate showcases"))


def govdata_showcase_review_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Moderation comments are for the showcase's editors and the moderators."""
    return govdata_showcase_update(context, data_dict)


@tk.auth_allow_anonymous_access
def govdata_showcase_list_for_package(context: Context, data_dict: DataDict) -> AuthResult:
    return authz.is_authorized("package_show", context, data_dict)


def _staff(context: Context) -> AuthResult:
    """The bureau's staff (the showcase moderators) curate scenarios and run contests."""
    return _result(roles.is_moderator(_user(context)), tk._("Only the bureau's staff may do this"))


def govdata_scenario_create(context: Context, data_dict: DataDict) -> AuthResult:
    return _staff(context)


def govdata_scenario_update(context: Context, data_dict: DataDict) -> AuthResult:
    return _staff(context)


def govdata_scenario_delete(context: Context, data_dict: DataDict) -> AuthResult:
    return _staff(context)


@tk.auth_allow_anonymous_access
def govdata_scenario_show(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def govdata_scenario_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


def govdata_contest_create(context: Context, data_dict: DataDict) -> AuthResult:
    return _staff(context)


def govdata_contest_update(context: Context, data_dict: DataDict) -> AuthResult:
    return _staff(context)


def govdata_contest_judge_assign(context: Context, data_dict: DataDict) -> AuthResult:
    return _staff(context)


def govdata_contest_results_publish(context: Context, data_dict: DataDict) -> AuthResult:
    return _staff(context)


@tk.auth_allow_anonymous_access
def govdata_contest_show(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def govdata_contest_list(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def govdata_contest_team_show(context: Context, data_dict: DataDict) -> AuthResult:
    return {"success": True}


@tk.auth_allow_anonymous_access
def govdata_contest_entry_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Everyone sees the published entries; the action narrows what else each caller gets."""
    return {"success": True}


def govdata_contest_team_register(context: Context, data_dict: DataDict) -> AuthResult:
    return _result(_logged_in(context), tk._("Log in to register a team"))


def govdata_contest_entry_submit(context: Context, data_dict: DataDict) -> AuthResult:
    """A team's entries are submitted by the team's accounts."""
    user = roles.user_object(_user(context))
    team_id = data_dict.get("team_id") or ""
    allowed = user is not None and bool(team_id) and contests.is_team_account(team_id, user.id)
    return _result(allowed, tk._("Only the team's members may submit its entries"))


def govdata_contest_team_update(context: Context, data_dict: DataDict) -> AuthResult:
    """The team's accounts change the team; its leader alone changes who its accounts are.
    The bureau's staff may change any team."""
    user = roles.user_object(_user(context))
    if user is None:
        return _result(False, tk._("Log in to change your team"))
    if roles.is_moderator(user):
        return {"success": True}
    team = model.Session.get(ContestTeam, data_dict.get("id") or "")
    if team is None or not contests.is_team_account(team.id, user.id):
        return _result(False, tk._("Only the team's members may change it"))
    if data_dict.get("accounts") and team.leader_id != user.id:
        return _result(False, tk._("Only the team's leader may change its accounts"))
    return {"success": True}


def govdata_contest_score_submit(context: Context, data_dict: DataDict) -> AuthResult:
    """Judges score the entries assigned to them, and no others."""
    user = roles.user_object(_user(context))
    entry_id = data_dict.get("entry_id") or ""
    allowed = user is not None and entry_id in contests.assigned_entry_ids(user.id)
    return _result(allowed, tk._("You are not a judge of this entry"))
