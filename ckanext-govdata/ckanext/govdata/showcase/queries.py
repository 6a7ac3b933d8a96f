"""Queries of the showcase tables that the actions and dictizing share."""
from __future__ import annotations

from typing import Any

from ckan import model
from sqlalchemy import func

from ckanext.govdata.showcase.model import (
    Contest,
    ContestAssignment,
    ContestScore,
    ContestTrack,
    ScenarioPackage,
)


def scenario_package_ids(scenario_id: str) -> list[str]:
    rows = (
        model.Session.query(ScenarioPackage.package_id)
        .filter(ScenarioPackage.scenario_id == scenario_id)
        .order_by(ScenarioPackage.position)
    )
    return [row.package_id for row in rows]


def public_package_counts() -> dict[str, int]:
    """Scenario id -> how many of its datasets and APIs are public."""
    return dict(
        model.Session.query(ScenarioPackage.scenario_id, func.count())
        .join(model.Package, model.Package.id == ScenarioPackage.package_id)
        .filter(model.Package.state == "active", model.Package.private.is_(False))
        .group_by(ScenarioPackage.scenario_id)
        .all()
    )


def tracks(contest: Contest) -> list[ContestTrack]:
    return (
        model.Session.query(ContestTrack)
        .filter(ContestTrack.contest_id == contest.id)
        .order_by(ContestTrack.position, ContestTrack.name)
        .all()
    )


def count_by_track(entity: Any, contest: Contest) -> dict[str, int]:
    """Track id -> how many rows of ``entity`` (teams or entries) the contest has in it."""
    rows = model.Session.query(entity.track_id, func.count()).filter(entity.contest_id == contest.id).group_by(entity.track_id)
    return dict(rows.all())


def scores(entry_ids: list[str], judge_id: str | None = None) -> dict[str, dict[str, dict[str, int]]]:
    """entry id -> judge id -> criterion -> score."""
    query = model.Session.query(ContestScore).filter(ContestScore.entry_id.in_(entry_ids))
    if judge_id:
        query = query.filter(ContestScore.judge_id == judge_id)
    result: dict[str, dict[str, dict[str, int]]] = {}
    for score in query:
        result.setdefault(score.entry_id, {}).setdefault(score.judge_id, {})[score.criterion] = score.score
    return result


def judges(entry_ids: list[str]) -> dict[str, list[str]]:
    """entry id -> the names of its judges."""
    rows = (
        model.Session.query(ContestAssignment.entry_id, model.User.name)
        .join(model.User, model.User.id == ContestAssignment.judge_id)
        .filter(ContestAssignment.entry_id.in_(entry_ids))
        .order_by(model.User.name)
    )
    result: dict[str, list[str]] = {}
    for entry_id, name in rows:
        result.setdefault(entry_id, []).append(name)
    return result
