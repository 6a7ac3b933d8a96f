"""The data a contest offers, and the grants that open its conditional part to registered teams.

A contest lists datasets and APIs for contestants. The unconditional ones are open to all
anyway; each conditional (依申请开放) one is granted to every account of every registered team,
from registration until the review closes (entries are demonstrated to the judges on live data),
through the access plugin's grants: the same checks, the department's view and revocation, and
the access log as for a request. Without ``govdata_access`` loaded there are no grants to make.

Data of data subjects (personal or enterprise records, opened row by row to the subject's
authorised users) and data not open at all cannot be offered: teams apply for those like anyone.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
from ckan import model

from ckanext.govdata import open_condition
from ckanext.govdata.messages import bilingual
from ckanext.govdata.showcase.model import Contest, ContestTeam, ContestTeamAccount

SOURCE_PREFIX = "contest-team:"


def grants_enabled() -> bool:
    return p.plugin_loaded("govdata_access")


def source(team_id: str) -> str:
    return SOURCE_PREFIX + team_id


def offer_problems(package_ids: list[str]) -> list[str]:
    """Why some of the datasets cannot be offered to contestants (empty when all can)."""
    problems = []
    for package_id in package_ids:
        package = model.Package.get(package_id)
        if package is None:
            continue
        condition = open_condition.condition_of(package)
        if condition == open_condition.NOT_OPEN:
            problems.append(bilingual("Data that is not open cannot be offered to contestants: {value}", value=package.name))
        elif condition == open_condition.CONDITIONAL and (package.extras or {}).get("data_subject_type") in open_condition.SUBJECT_TYPES:
            problems.append(bilingual(
                "Data opened only to its data subjects cannot be offered to contestants; teams apply for it: {value}",
                value=package.name,
            ))
    return problems


def conditional_ids(contest: Contest) -> list[str]:
    """The offered datasets and APIs that registered teams are granted."""
    packages = (model.Package.get(package_id) for package_id in contest.packages or [])
    return [
        package.id
        for package in packages
        if package is not None and package.state == "active" and open_condition.condition_of(package) == open_condition.CONDITIONAL
    ]


def _account_ids(team: ContestTeam) -> list[str]:
    rows = model.Session.query(ContestTeamAccount.user_id).filter(ContestTeamAccount.team_id == team.id)
    return [row.user_id for row in rows]


def sync_team(contest: Contest, team: ContestTeam, package_ids: list[str] | None = None) -> None:
    """Grant the team's accounts the contest's conditional data; end what no longer applies.

    The caller commits.
    """
    if not grants_enabled():
        return
    from ckanext.govdata.grants import issued

    offered = conditional_ids(contest) if package_ids is None else package_ids
    wanted = [(user_id, package_id) for user_id in _account_ids(team) for package_id in offered]
    issued.sync(
        source(team.id),
        wanted,
        starts_on=contest.registration_opens,
        expires_on=contest.review_closes,
        note=f"{contest.title} · {team.name}",
        reason_ended=bilingual("No longer in the contest team, or no longer offered by the contest"),
    )


def sync_contest(contest: Contest) -> None:
    """After the contest's data or dates changed: every team's grants. The caller commits."""
    if not grants_enabled():
        return
    offered = conditional_ids(contest)
    for team in model.Session.query(ContestTeam).filter(ContestTeam.contest_id == contest.id):
        sync_team(contest, team, offered)


def team_grants(team_id: str) -> list[dict[str, Any]]:
    """The team's current grants, one line per dataset, for its members' page."""
    if not grants_enabled():
        return []
    from ckanext.govdata.grants import issued

    lines: dict[str, dict[str, Any]] = {}
    for grant in issued.current(source(team_id)):
        if grant.package_id in lines:
            continue
        package = model.Package.get(grant.package_id)
        if package is None:
            continue
        lines[grant.package_id] = {
            "package_id": package.id,
            "name": package.name,
            "title": package.title,
            "starts_on": grant.starts_on.isoformat(),
            "expires_on": grant.expires_on.isoformat(),
        }
    return list(lines.values())
