"""Showcase reviews, scenarios, contests, teams and entries as the actions return them."""
from __future__ import annotations

from typing import Any

from ckan import model

from ckanext.govdata.showcase import contests, queries
from ckanext.govdata.showcase.model import (
    Contest,
    ContestEntry,
    ContestTeam,
    ContestTeamAccount,
    ContestTrack,
    Scenario,
    ShowcaseReview,
)


def review_dict(review: ShowcaseReview) -> dict[str, Any]:
    result = review.as_dict()
    reviewer = model.User.get(review.reviewer_id)
    result["reviewer"] = reviewer.display_name if reviewer else ""
    return result


def scenario_dict(scenario: Scenario) -> dict[str, Any]:
    return {
        "id": scenario.id,
        "name": scenario.name,
        "title": scenario.title,
        "description": scenario.description,
        "image": scenario.image,
        "position": scenario.position,
        "created": scenario.created.isoformat(),
        "modified": scenario.modified.isoformat(),
    }


def contest_dict(contest: Contest) -> dict[str, Any]:
    teams_by_track = queries.count_by_track(ContestTeam, contest)
    entries_by_track = queries.count_by_track(ContestEntry, contest)
    result: dict[str, Any] = {
        "id": contest.id,
        "name": contest.name,
        "title": contest.title,
        "year": contest.year,
        "description": contest.description,
        "rules_url": contest.rules_url,
        "rules_document": (
            {key: contest.rules_document[key] for key in ("name", "size", "mimetype")} if contest.rules_document else None
        ),
        "criteria": contest.criteria,
        "packages": contest.packages,
        # Registered teams hold grants to the offered conditional data until this day.
        "team_data_until": contest.review_closes.isoformat(),
        "results_published": contest.results_published,
        "phases": contests.current_phases(contest),
        "tracks": [
            {
                "id": track.id,
                "name": track.name,
                "title": track.title,
                "description": track.description,
                "team_count": teams_by_track.get(track.id, 0),
                "entry_count": entries_by_track.get(track.id, 0),
            }
            for track in queries.tracks(contest)
        ],
        "team_count": sum(teams_by_track.values()),
        "entry_count": sum(entries_by_track.values()),
    }
    result.update({field: getattr(contest, field).isoformat() for field in contests.DATE_FIELDS})
    return result


def entry_dict(entry: ContestEntry, showcase: dict[str, Any] | None, results_published: bool) -> dict[str, Any]:
    team = model.Session.get(ContestTeam, entry.team_id)
    track = model.Session.get(ContestTrack, entry.track_id)
    return {
        "id": entry.id,
        "contest_id": entry.contest_id,
        "team_id": entry.team_id,
        "team": team.name if team else "",
        "organisation": team.organisation if team else "",
        "track": track.name if track else "",
        "track_title": track.title if track else "",
        "package_id": entry.package_id,
        "showcase": showcase,
        "submitted": entry.submitted.isoformat(),
        "award": entry.award if results_published else None,
        "rank": entry.rank if results_published else None,
    }


def team_dict(team: ContestTeam, with_accounts: bool) -> dict[str, Any]:
    track = model.Session.get(ContestTrack, team.track_id)
    result = {
        "id": team.id,
        "contest_id": team.contest_id,
        "name": team.name,
        "organisation": team.organisation,
        "track": track.name if track else "",
        "track_title": track.title if track else "",
        "members": team.members,
        "created": team.created.isoformat(),
    }
    if with_accounts:
        accounts = (
            model.Session.query(model.User.name)
            .join(ContestTeamAccount, ContestTeamAccount.user_id == model.User.id)
            .filter(ContestTeamAccount.team_id == team.id)
            .order_by(model.User.name)
        )
        result["accounts"] = [row.name for row in accounts]
        leader = model.Session.get(model.User, team.leader_id)
        result["leader"] = leader.name if leader else ""
    return result


def entry_summary(package_id: str) -> dict[str, Any] | None:
    """What a showcase's page and API say about the contest it was entered in."""
    entry = contests.entry_of(package_id)
    if entry is None:
        return None
    contest = model.Session.get(Contest, entry.contest_id)
    if contest is None:
        return None
    summary = entry_dict(entry, None, contest.results_published)
    summary.pop("showcase")
    return dict(summary, contest=contest.name, contest_title=contest.title)
