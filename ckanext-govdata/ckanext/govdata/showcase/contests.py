"""A contest's calendar: which phase it is in on a given day, and who is in which team.

Phase dates are calendar dates in the portal's time zone (``ckanext.govdata.calendar.today``), each
inclusive: registration that closes on 31 May accepts teams all day on 31 May, Beijing time.
"""
from __future__ import annotations

import datetime as dt

from ckan import model
from sqlalchemy import or_

from ckanext.govdata.calendar import today
from ckanext.govdata.showcase.model import Contest, ContestAssignment, ContestEntry, ContestTeam, ContestTeamAccount

UPCOMING = "upcoming"
REGISTRATION = "registration"
SUBMISSION = "submission"
REVIEW = "review"
RESULTS = "results"

# (phase, opening date field, closing date field) in calendar order.
PHASES = (
    (REGISTRATION, "registration_opens", "registration_closes"),
    (SUBMISSION, "submission_opens", "submission_closes"),
    (REVIEW, "review_opens", "review_closes"),
)
DATE_FIELDS = (*tuple(field for _phase, opens, closes in PHASES for field in (opens, closes)), "results_date")


def is_open(contest: Contest, phase: str, on: dt.date | None = None) -> bool:
    day = on or today()
    for name, opens, closes in PHASES:
        if name == phase:
            return getattr(contest, opens) <= day <= getattr(contest, closes)
    raise ValueError(phase)


def current_phases(contest: Contest, on: dt.date | None = None) -> list[str]:
    """The phases open on the day (registration and submission may overlap); results once published."""
    day = on or today()
    if contest.results_published:
        return [RESULTS]
    open_now = [name for name, _opens, _closes in PHASES if is_open(contest, name, day)]
    if open_now:
        return open_now
    return [UPCOMING] if day < contest.registration_opens else []


def contest_object(reference: str) -> Contest | None:
    """A contest by id or URL name."""
    return model.Session.query(Contest).filter(or_(Contest.id == reference, Contest.name == reference)).one_or_none()


def team_ids_of(user_id: str, contest_id: str | None = None) -> list[str]:
    """The teams ``user_id`` belongs to (in ``contest_id`` only, when given)."""
    query = model.Session.query(ContestTeamAccount.team_id).filter(ContestTeamAccount.user_id == user_id)
    if contest_id is not None:
        query = query.join(ContestTeam, ContestTeam.id == ContestTeamAccount.team_id).filter(ContestTeam.contest_id == contest_id)
    return [row.team_id for row in query]


def assigned_entry_ids(judge_id: str) -> list[str]:
    return [row.entry_id for row in model.Session.query(ContestAssignment.entry_id).filter(ContestAssignment.judge_id == judge_id)]


def entry_of(package_id: str) -> ContestEntry | None:
    return model.Session.query(ContestEntry).filter(ContestEntry.package_id == package_id).one_or_none()


def is_team_account(team_id: str, user_id: str) -> bool:
    query = model.Session.query(ContestTeamAccount).filter(
        ContestTeamAccount.team_id == team_id, ContestTeamAccount.user_id == user_id
    )
    return model.Session.query(query.exists()).scalar()
