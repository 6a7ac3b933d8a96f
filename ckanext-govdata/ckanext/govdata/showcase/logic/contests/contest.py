"""Actions on a contest itself: its dates, tracks, criteria, offered data and rules document."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata.action_steps import atomic, finish, validate
from ckanext.govdata.messages import bilingual
from ckanext.govdata.showcase import contest_data, contests, dictization, queries, rules_documents
from ckanext.govdata.showcase.logic import schema
from ckanext.govdata.showcase.logic.common import caller, contest_object, showcase_summary
from ckanext.govdata.showcase.logic.contests.entry import govdata_contest_entry_list
from ckanext.govdata.showcase.model import Contest, ContestAssignment, ContestEntry, ContestTeam, ContestTrack


def _check_offer(package_ids: list[str]) -> None:
    problems = contest_data.offer_problems(package_ids)
    if problems:
        raise tk.ValidationError({"packages": problems})


def _check_phase_order(values: dict[str, Any]) -> None:
    """Each phase closes after it opens; submission, review and results follow registration."""
    order = [
        ("registration_closes", "registration_opens"),
        ("submission_opens", "registration_opens"),
        ("submission_closes", "submission_opens"),
        ("review_opens", "submission_opens"),
        ("review_closes", "review_opens"),
        ("results_date", "review_opens"),
    ]
    errors = {
        later: [bilingual("Must be on or after {earlier} ({date})", earlier=earlier, date=values[earlier])]
        for later, earlier in order
        if values[later] < values[earlier]
    }
    if errors:
        raise tk.ValidationError(errors)


def _check_name_free(name: str, own_id: str | None = None) -> None:
    query = model.Session.query(Contest.id).filter(Contest.name == name)
    if own_id:
        query = query.filter(Contest.id != own_id)
    if query.first():
        raise tk.ValidationError({"name": [bilingual("This URL name is already used: {value}", value=name)]})


def _set_tracks(contest: Contest, wanted: list[dict[str, Any]]) -> None:
    """Tracks are matched by name: kept ones are updated, new ones added, unused ones dropped."""
    existing = {track.name: track for track in queries.tracks(contest)}
    wanted_names = {values["name"] for values in wanted}
    for track in existing.values():
        if track.name not in wanted_names and model.Session.query(ContestTeam.id).filter(ContestTeam.track_id == track.id).first():
            raise tk.ValidationError({"tracks": [bilingual("Teams are registered in track {value}: it cannot be removed", value=track.name)]})
    for position, values in enumerate(wanted):
        track = existing.pop(values["name"]) if values["name"] in existing else ContestTrack(contest_id=contest.id, name=values["name"])
        track.title, track.description, track.position = values["title"], values["description"], position
        model.Session.add(track)
    for track in existing.values():
        model.Session.delete(track)


@atomic
def govdata_contest_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Create a data contest (staff).

    :param name, title, year, description, rules_url: the contest
    :param registration_opens … review_closes, results_date: phase dates (YYYY-MM-DD, inclusive)
    :param tracks: ``[{"name", "title", "description"}]`` or lines of ``name|title|description``
    :param criteria: ``[{"name", "title", "max"}]`` or lines of ``name|title|max``
    :param packages: datasets and APIs offered to contestants (names or ids); conditional ones
        are granted to the registered teams until the review closes
    :param rules_upload: the rules document (PDF or DOCX)
    """
    tk.check_access("govdata_contest_create", context, data_dict)
    data = validate(data_dict, schema.contest_create_schema(), context)
    _check_phase_order(data)
    _check_offer(data.get("packages") or [])
    _check_name_free(data["name"])
    upload = rules_documents.upload_of(data_dict)
    checked = rules_documents.check(upload) if upload else None
    contest = Contest(**{field: data[field] for field in ("name", "title", "year", "criteria", *contests.DATE_FIELDS)})
    contest.description = data.get("description") or ""
    contest.rules_url = data.get("rules_url") or ""
    contest.packages = data.get("packages") or []
    model.Session.add(contest)
    model.Session.flush()
    _set_tracks(contest, data["tracks"])
    if upload and checked:
        contest.rules_document = rules_documents.store(contest.id, upload, checked)
    try:
        finish(context)
    except Exception:
        rules_documents.delete(contest.id, contest.rules_document)
        raise
    return dictization.contest_dict(contest)


@atomic
def govdata_contest_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a contest (staff); fields not given keep their value.

    :param rules_upload: a new rules document; :param remove_rules: drop the rules document
    """
    data = validate(data_dict, schema.contest_update_schema(), context)
    contest = contest_object(data["id"])
    values = {field: data.get(field, getattr(contest, field)) for field in contests.DATE_FIELDS}
    _check_phase_order(values)
    if "packages" in data:
        _check_offer(data["packages"])
    if data.get("name"):
        _check_name_free(data["name"], contest.id)
    tk.check_access("govdata_contest_update", context, {"id": contest.id})
    upload = rules_documents.upload_of(data_dict)
    checked = rules_documents.check(upload) if upload else None
    if "tracks" in data:
        _set_tracks(contest, data["tracks"])
    for field in ("name", "title", "year", "description", "rules_url", "criteria", "packages", *contests.DATE_FIELDS):
        if field in data:
            setattr(contest, field, data[field])
    if "packages" in data or any(field in data for field in contests.DATE_FIELDS):
        contest_data.sync_contest(contest)
    old_rules = contest.rules_document
    if upload and checked:
        contest.rules_document = rules_documents.store(contest.id, upload, checked)
    elif data.get("remove_rules"):
        contest.rules_document = None
    try:
        finish(context)
    except Exception:
        if contest.rules_document is not old_rules:
            rules_documents.delete(contest.id, contest.rules_document)
        raise
    if old_rules and contest.rules_document != old_rules:
        rules_documents.delete(contest.id, old_rules)
    return dictization.contest_dict(contest)


@tk.side_effect_free
def govdata_contest_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Every contest, newest first, with its phase, tracks and counts."""
    tk.check_access("govdata_contest_list", context, data_dict)
    return [dictization.contest_dict(contest) for contest in model.Session.query(Contest).order_by(Contest.year.desc(), Contest.title)]


@tk.side_effect_free
def govdata_contest_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A contest with its offered datasets, its published entries and, once out, its winners."""
    data = validate(data_dict, schema.contest_id_schema(), context)
    contest = contest_object(data["id"])
    tk.check_access("govdata_contest_show", context, {"id": contest.id})
    result = dictization.contest_dict(contest)
    offered = [showcase_summary(context, package_id) for package_id in contest.packages]
    result["offered_packages"] = [package for package in offered if package]
    entries = govdata_contest_entry_list(dict(context), {"contest": contest.id, "public": True})
    result["entries"] = entries
    result["winners"] = sorted(
        (entry for entry in entries if entry["award"]), key=lambda entry: (entry["rank"] or 10**6, entry["team"])
    )
    user = caller(context)
    my_team_ids = set(contests.team_ids_of(user.id)) if user else set()
    my_teams = model.Session.query(ContestTeam).filter(ContestTeam.contest_id == contest.id, ContestTeam.id.in_(my_team_ids))
    result["my_teams"] = [dictization.team_dict(team, with_accounts=True) for team in my_teams]
    result["is_judge"] = bool(
        user
        and model.Session.query(ContestAssignment.entry_id)
        .join(ContestEntry, ContestEntry.id == ContestAssignment.entry_id)
        .filter(ContestEntry.contest_id == contest.id, ContestAssignment.judge_id == user.id)
        .first()
    )
    return result
