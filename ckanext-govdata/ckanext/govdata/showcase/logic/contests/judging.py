"""Actions of judging: assigning judges, scoring entries, publishing the results and awards."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import calendar
from ckanext.govdata.action_steps import atomic, finish, validate
from ckanext.govdata.messages import bilingual
from ckanext.govdata.showcase import contests, roles
from ckanext.govdata.showcase.logic import schema
from ckanext.govdata.showcase.logic.common import caller, closed, contest_object, contest_of, entry_object
from ckanext.govdata.showcase.logic.contests.contest import govdata_contest_show
from ckanext.govdata.showcase.model import Contest, ContestAssignment, ContestEntry, ContestScore


@atomic
def govdata_contest_judge_assign(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Set the judges of an entry (staff). A team's own accounts cannot judge its entry.

    :param entry: the entry's id
    :param judges: user names (list or comma-separated); an empty list removes every judge
    """
    data = validate(data_dict, schema.contest_judge_assign_schema(), context)
    entry = entry_object(data["entry"])
    tk.check_access("govdata_contest_judge_assign", context, {"id": entry.id})
    judges = [user for user in map(model.User.get, data.get("judges") or []) if user]
    conflicted = [judge.name for judge in judges if contests.is_team_account(entry.team_id, judge.id)]
    if conflicted:
        raise tk.ValidationError({"judges": [bilingual("Members of the team cannot judge its entry: {value}", value=", ".join(conflicted))]})
    model.Session.query(ContestAssignment).filter(ContestAssignment.entry_id == entry.id).delete()
    for judge_id in dict.fromkeys(judge.id for judge in judges):
        model.Session.add(ContestAssignment(entry_id=entry.id, judge_id=judge_id))
    finish(context)
    return {"entry": entry.id, "judges": sorted(judge.name for judge in judges)}


def _checked_scores(contest: Contest, given: dict[str, Any]) -> dict[str, int]:
    """A whole number within its maximum for every criterion of the contest, and nothing else."""
    scores: dict[str, int] = {}
    problems = []
    for criterion in contest.criteria:
        raw = given.get(criterion["name"])
        try:
            value = int(str(raw).strip())
        except (TypeError, ValueError):
            value = -1
        if not 0 <= value <= criterion["max"]:
            problems.append(bilingual("Give {criterion} a whole number from 0 to {max}", criterion=criterion["title"], max=criterion["max"]))
            continue
        scores[criterion["name"]] = value
    unknown = sorted(set(given) - {criterion["name"] for criterion in contest.criteria})
    if unknown:
        problems.append(bilingual("Unknown criteria: {value}", value=", ".join(unknown)))
    if problems:
        raise tk.ValidationError({"scores": problems})
    return scores


@atomic
def govdata_contest_score_submit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A judge scores an assigned entry on every criterion, during the review phase.

    :param entry: the entry's id
    :param scores: ``{criterion name: whole number from 0 to the criterion's maximum}``
    :param comment: the judge's remarks (optional)
    """
    data = validate(data_dict, schema.contest_score_submit_schema(), context)
    entry = entry_object(data["entry"])
    contest = contest_of(entry.contest_id)
    tk.check_access("govdata_contest_score_submit", context, {"entry_id": entry.id})
    if contest.results_published or not contests.is_open(contest, contests.REVIEW):
        raise closed(contest, contests.REVIEW)
    scores = _checked_scores(contest, data["scores"] if isinstance(data["scores"], dict) else {})
    judge = caller(context)
    assert judge is not None
    for criterion, value in scores.items():
        model.Session.merge(
            ContestScore(entry_id=entry.id, judge_id=judge.id, criterion=criterion, score=value, comment=data.get("comment") or "")
        )
    finish(context)
    return {"entry": entry.id, "scores": scores, "total": sum(scores.values()), "comment": data.get("comment") or ""}


def _rank(value: Any) -> int | None:
    """A positive whole rank, or None (no rank) for anything else."""
    try:
        rank = int(str(value).strip())
    except ValueError:
        return None
    return rank if 0 < rank <= 10_000 else None


@atomic
def govdata_contest_results_publish(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Publish a contest's results and awards (staff), once the review phase has begun.

    :param contest: the contest's id or name
    :param awards: ``[{"entry": id, "award": "一等奖", "rank": 1}, …]``; entries not listed get
        no award. Awarded entries must be published showcases: the public will see them.
    """
    data = validate(data_dict, schema.contest_results_publish_schema(), context)
    contest = contest_object(data["contest"])
    tk.check_access("govdata_contest_results_publish", context, {"id": contest.id})
    if calendar.today() < contest.review_opens:
        raise tk.ValidationError({"contest": [bilingual("Results can be published once the review opens on {date}", date=contest.review_opens)]})
    problems, decided = [], {}
    for award in data.get("awards") or []:
        award = award if isinstance(award, dict) else {"entry": award}
        entry = model.Session.get(ContestEntry, str(award.get("entry") or ""))
        title = str(award.get("award") or "").strip()
        if entry is None or entry.contest_id != contest.id or not title:
            problems.append(bilingual("Each award needs an entry of this contest and an award title: {value}", value=award))
            continue
        package = model.Package.get(entry.package_id)
        if package is None or package.state != "active" or roles.moderation_state(package) != roles.PUBLISHED:
            problems.append(bilingual("Publish the showcase of entry {value} before awarding it", value=entry.id))
            continue
        decided[entry.id] = (title, _rank(award.get("rank")))
    if problems:
        raise tk.ValidationError({"awards": problems})
    for entry in model.Session.query(ContestEntry).filter(ContestEntry.contest_id == contest.id):
        entry.award, entry.rank = decided.get(entry.id, (None, None))
    contest.results_published = True
    finish(context)
    return govdata_contest_show(dict(context), {"id": contest.id})
