"""What the showcase, scenario and contest actions share: looking up their objects and refusals."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context
from sqlalchemy import or_

from ckanext.govdata.messages import bilingual
from ckanext.govdata.showcase import contests, roles
from ckanext.govdata.showcase.model import Contest, ContestEntry, ContestTeam, Scenario


def caller(context: Context) -> model.User | None:
    return roles.user_object(context.get("auth_user_obj") or context.get("user"))


def showcase_object(reference: str) -> model.Package:
    package = model.Package.get(reference)
    if not roles.is_showcase(package) or package.state == "deleted":
        raise tk.ObjectNotFound(tk._("Showcase not found"))
    return package


def scenario_object(reference: str) -> Scenario:
    scenario = model.Session.query(Scenario).filter(or_(Scenario.id == reference, Scenario.name == reference)).one_or_none()
    if scenario is None:
        raise tk.ObjectNotFound(tk._("Scenario not found"))
    return scenario


def contest_object(reference: str) -> Contest:
    contest = contests.contest_object(reference)
    if contest is None:
        raise tk.ObjectNotFound(tk._("Contest not found"))
    return contest


def contest_of(contest_id: str) -> Contest:
    contest = model.Session.get(Contest, contest_id)
    assert contest is not None  # teams and entries are deleted with their contest
    return contest


def team_object(team_id: str) -> ContestTeam:
    team = model.Session.get(ContestTeam, team_id)
    if team is None:
        raise tk.ObjectNotFound(tk._("Team not found"))
    return team


def entry_object(entry_id: str) -> ContestEntry:
    entry = model.Session.get(ContestEntry, entry_id)
    if entry is None:
        raise tk.ObjectNotFound(tk._("Entry not found"))
    return entry


def showcase_summary(context: Context, package_id: str) -> dict[str, Any] | None:
    """The package as the caller may see it, or None."""
    try:
        return tk.get_action("package_show")(dict(context), {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None


def closed(contest: Contest, phase: str) -> tk.ValidationError:
    """The refusal of something done outside its phase, with the phase's dates."""
    opens, closes = {name: (start, end) for name, start, end in contests.PHASES}[phase]
    messages = {
        contests.REGISTRATION: bilingual(
            "Team registration for this contest is open from {opens} to {closes}",
            opens=getattr(contest, opens), closes=getattr(contest, closes),
        ),
        contests.SUBMISSION: bilingual(
            "Entries to this contest are accepted from {opens} to {closes}",
            opens=getattr(contest, opens), closes=getattr(contest, closes),
        ),
        contests.REVIEW: bilingual(
            "Entries are scored from {opens} to {closes}, until the results are published",
            opens=getattr(contest, opens), closes=getattr(contest, closes),
        ),
    }
    return tk.ValidationError({"contest": [messages[phase]]})
