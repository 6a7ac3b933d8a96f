"""Actions on contest teams: registration, changes (and the grants that follow), the team page."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import calendar
from ckanext.govdata.action_steps import atomic, finish, validate
from ckanext.govdata.messages import bilingual
from ckanext.govdata.showcase import contest_data, contests, dictization, queries, roles
from ckanext.govdata.showcase.logic import schema
from ckanext.govdata.showcase.logic.common import (
    caller,
    closed,
    contest_object,
    contest_of,
    showcase_summary,
    team_object,
)
from ckanext.govdata.showcase.model import (
    Contest,
    ContestAssignment,
    ContestEntry,
    ContestTeam,
    ContestTeamAccount,
    ContestTrack,
)


def _track_of(contest: Contest, reference: str) -> ContestTrack:
    """The contest's track by name or id, or a ValidationError naming ``track``."""
    track = next((track for track in queries.tracks(contest) if reference in (track.id, track.name)), None)
    if track is None:
        raise tk.ValidationError({"track": [bilingual("This contest has no track {value}", value=reference)]})
    return track


def _check_team_name_free(contest: Contest, name: str, team: ContestTeam | None = None) -> None:
    """Team names are unique in a contest (``team``: the one being renamed, which may keep its own)."""
    query = model.Session.query(ContestTeam.id).filter(ContestTeam.contest_id == contest.id, ContestTeam.name == name)
    if team is not None:
        query = query.filter(ContestTeam.id != team.id)
    if query.first():
        raise tk.ValidationError({"name": [bilingual("A team of this name is already registered: {value}", value=name)]})


def _account_ids(leader_id: str, names: list[str]) -> list[str]:
    """The leader first, then the other accounts named, once each."""
    others = [user.id for user in map(model.User.get, names) if user and user.id != leader_id]
    return list(dict.fromkeys([leader_id, *others]))


def _check_accounts_free(contest: Contest, account_ids: list[str], team: ContestTeam | None = None) -> None:
    """An account acts for one team of a contest, and does not judge an entry of the team."""
    query = (
        model.Session.query(model.User.name)
        .join(ContestTeamAccount, ContestTeamAccount.user_id == model.User.id)
        .join(ContestTeam, ContestTeam.id == ContestTeamAccount.team_id)
        .filter(ContestTeam.contest_id == contest.id, model.User.id.in_(account_ids))
    )
    if team is not None:
        query = query.filter(ContestTeam.id != team.id)
    already = [row.name for row in query.order_by(model.User.name)]
    if already:
        raise tk.ValidationError({"accounts": [bilingual("Already in a team of this contest: {value}", value=", ".join(already))]})
    if team is None:
        return
    judging = (
        model.Session.query(model.User.name)
        .join(ContestAssignment, ContestAssignment.judge_id == model.User.id)
        .join(ContestEntry, ContestEntry.id == ContestAssignment.entry_id)
        .filter(ContestEntry.team_id == team.id, model.User.id.in_(account_ids))
        .order_by(model.User.name)
    )
    judges = [row.name for row in judging]
    if judges:
        raise tk.ValidationError({"accounts": [bilingual("Judges of the team's entries cannot join it: {value}", value=", ".join(judges))]})


def _set_accounts(team: ContestTeam, account_ids: list[str]) -> None:
    model.Session.query(ContestTeamAccount).filter(ContestTeamAccount.team_id == team.id).delete()
    for user_id in dict.fromkeys(account_ids):
        model.Session.add(ContestTeamAccount(team_id=team.id, user_id=user_id))
    model.Session.flush()


@atomic
def govdata_contest_team_register(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Register a team for a contest while registration is open. The caller leads it.

    :param contest: the contest's id or name
    :param name: the team's name (unique in the contest); :param organisation: school, company …
    :param track: the track's name or id
    :param members: names of the people in the team (list or comma-separated)
    :param accounts: other users who may submit and edit the team's entries (user names)
    """
    data = validate(data_dict, schema.contest_team_register_schema(), context)
    contest = contest_object(data["contest"])
    tk.check_access("govdata_contest_team_register", context, data_dict)
    if not contests.is_open(contest, contests.REGISTRATION):
        raise closed(contest, contests.REGISTRATION)
    track = _track_of(contest, data["track"])
    _check_team_name_free(contest, data["name"])
    leader = caller(context)
    assert leader is not None  # check_access let only registered users through
    account_ids = _account_ids(leader.id, data.get("accounts") or [])
    _check_accounts_free(contest, account_ids)
    team = ContestTeam(
        contest_id=contest.id,
        track_id=track.id,
        name=data["name"],
        organisation=data.get("organisation") or "",
        members=data.get("members") or [leader.display_name],
        leader_id=leader.id,
    )
    model.Session.add(team)
    model.Session.flush()
    _set_accounts(team, account_ids)
    contest_data.sync_team(contest, team)
    finish(context)
    return dictization.team_dict(team, with_accounts=True)


@atomic
def govdata_contest_team_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a registered team; fields not given keep their value.

    :param id: the team's id
    :param name: the team's name; :param organisation: school, company …
    :param members: names of the people in the team (list or comma-separated)
    :param accounts: the users besides the leader who act for the team (leader or staff only)
    :param track: the track's name or id: while registration is open and before any entry
    The team's accounts change it until submissions close; the bureau's staff at any time.
    The contest's conditional data follows the accounts: those added are granted it, those
    removed lose it.
    """
    data = validate(data_dict, schema.contest_team_update_schema(), context)
    team = team_object(data["id"])
    contest = contest_of(team.contest_id)
    tk.check_access("govdata_contest_team_update", context, {"id": team.id, "accounts": "accounts" in data})
    staff = roles.is_moderator(caller(context))
    if not staff and calendar.today() > contest.submission_closes:
        raise tk.ValidationError({"contest": [bilingual("Teams can be changed until submissions close on {date}", date=contest.submission_closes)]})
    if "track" in data:
        track = _track_of(contest, data["track"])
        if track.id != team.track_id:
            if not staff and not contests.is_open(contest, contests.REGISTRATION):
                raise tk.ValidationError({"track": [bilingual(
                    "The track can be changed while registration is open, until {date}", date=contest.registration_closes
                )]})
            if model.Session.query(ContestEntry.id).filter(ContestEntry.team_id == team.id).first():
                raise tk.ValidationError({"track": [bilingual("A team that has submitted entries keeps its track")]})
            team.track_id = track.id
    if "name" in data and data["name"] != team.name:
        _check_team_name_free(contest, data["name"], team)
        team.name = data["name"]
    if "organisation" in data:
        team.organisation = data["organisation"] or ""
    if "members" in data:
        team.members = data["members"]
    if "accounts" in data:
        account_ids = _account_ids(team.leader_id, data["accounts"])
        _check_accounts_free(contest, account_ids, team)
        _set_accounts(team, account_ids)
    contest_data.sync_team(contest, team)
    finish(context)
    return dictization.team_dict(team, with_accounts=True)


@tk.side_effect_free
def govdata_contest_team_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A team, its entries the caller may see and, for its members and staff, its accounts."""
    data = validate(data_dict, schema.contest_id_schema(), context)
    team = team_object(data["id"])
    tk.check_access("govdata_contest_team_show", context, {"id": team.id})
    user = caller(context)
    insider = user is not None and (roles.is_moderator(user) or contests.is_team_account(team.id, user.id))
    contest = contest_of(team.contest_id)
    entries = []
    for entry in model.Session.query(ContestEntry).filter(ContestEntry.team_id == team.id).order_by(ContestEntry.submitted):
        showcase = showcase_summary(context, entry.package_id)
        if showcase is not None:
            entries.append(dictization.entry_dict(entry, showcase, contest.results_published))
    result = dict(dictization.team_dict(team, with_accounts=insider), entries=entries)
    result["is_member"] = insider and user is not None and contests.is_team_account(team.id, user.id)
    if insider:
        result["grants"] = contest_data.team_grants(team.id)
        result["editable"] = roles.is_moderator(user) or calendar.today() <= contest.submission_closes
    return result
