"""Actions on contest entries: a team submits a showcase as its entry; who sees which entries."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search
from ckan.types import Context, DataDict

from ckanext.govdata.action_steps import atomic, finish, validate
from ckanext.govdata.messages import bilingual
from ckanext.govdata.showcase import contests, dictization, images, queries, roles
from ckanext.govdata.showcase.logic import schema
from ckanext.govdata.showcase.logic.common import (
    caller,
    closed,
    contest_object,
    contest_of,
    showcase_object,
    showcase_summary,
    team_object,
)
from ckanext.govdata.showcase.model import ContestEntry

# Parameters of the entry itself; all others are fields of the showcase it creates.
ENTRY_FIELDS = ("team", "showcase")


def _own_showcase_id(context: Context, reference: str) -> str:
    """An existing showcase of the caller's that is not entered yet."""
    existing = showcase_object(reference)
    if not roles.is_author(existing, context.get("auth_user_obj") or context["user"]):
        raise tk.ValidationError({"showcase": [bilingual("Only showcases you submitted can be entered: {value}", value=reference)]})
    if contests.entry_of(existing.id) is not None:
        raise tk.ValidationError({"showcase": [bilingual("This showcase is already a contest entry: {value}", value=reference)]})
    return existing.id


@atomic
def govdata_contest_entry_submit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a team's entry while submissions are open: a new showcase, or one the caller wrote.

    :param team: the team's id
    :param showcase: id or name of an existing showcase of the caller (optional); otherwise the
        showcase fields (title, notes, category, author, datasets …, screenshot_upload) make one.
    The showcase is moderated like any other before the public sees it; the team's accounts,
    the moderators and the entry's judges see it meanwhile. The showcase and the entry are
    written in one transaction: a failure leaves neither.
    """
    data = validate(data_dict, schema.contest_entry_submit_schema(), context)
    team = team_object(data["team"])
    contest = contest_of(team.contest_id)
    tk.check_access("govdata_contest_entry_submit", context, {"team_id": team.id})
    if not contests.is_open(contest, contests.SUBMISSION):
        raise closed(contest, contests.SUBMISSION)
    created: dict[str, Any] | None = None
    if data.get("showcase"):
        package_id = _own_showcase_id(context, data["showcase"])
    else:
        fields = {key: value for key, value in data_dict.items() if key not in ENTRY_FIELDS}
        created = tk.get_action("govdata_showcase_create")(dict(context, defer_commit=True), fields)
        package_id = created["id"]
    try:
        entry = ContestEntry(contest_id=contest.id, team_id=team.id, track_id=team.track_id, package_id=package_id)
        model.Session.add(entry)
        model.Session.flush()
        finish(context)
    except Exception:
        # The rows go with the transaction; the screenshots were written to storage at once.
        for image in (created or {}).get("screenshots") or []:
            images.delete(image)
        raise
    if not context.get("defer_commit"):
        # The showcase's permission labels now include the team's and the judges'.
        search.rebuild(package_id)
    return dictization.entry_dict(entry, tk.get_action("package_show")(dict(context), {"id": package_id}), contest.results_published)


@tk.side_effect_free
def govdata_contest_entry_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """A contest's entries, as the caller may see them.

    :param contest: the contest's id or name
    :param assigned: true for a judge's own list: only the entries assigned to the caller, with
        the caller's scores
    :param public: true for what everyone sees (entries whose showcase is published), whoever asks
    Staff get every entry with its judges, every judge's scores and the mean total; everyone else
    gets the entries whose showcase is published.
    """
    data = validate(data_dict, schema.contest_entry_list_schema(), context)
    contest = contest_object(data["contest"])
    tk.check_access("govdata_contest_entry_list", context, {"id": contest.id})
    user = caller(context)
    query = model.Session.query(ContestEntry).filter(ContestEntry.contest_id == contest.id).order_by(ContestEntry.submitted)
    if data.get("assigned"):
        if user is None:
            raise tk.NotAuthorized(tk._("Log in to see the entries assigned to you"))
        entries = query.filter(ContestEntry.id.in_(contests.assigned_entry_ids(user.id))).all()
        own = queries.scores([entry.id for entry in entries], user.id)
        return [
            dict(
                dictization.entry_dict(entry, showcase_summary(context, entry.package_id), contest.results_published),
                my_scores=own.get(entry.id, {}).get(user.id, {}),
            )
            for entry in entries
        ]
    entries = query.all()
    if roles.is_moderator(user) and not data.get("public"):
        ids = [entry.id for entry in entries]
        scores, judges = queries.scores(ids), queries.judges(ids)
        result = []
        for entry in entries:
            by_judge = scores.get(entry.id, {})
            totals = [sum(values.values()) for values in by_judge.values()]
            result.append(
                dict(
                    dictization.entry_dict(entry, showcase_summary(context, entry.package_id), True),
                    judges=judges.get(entry.id, []),
                    scores=by_judge,
                    mean_total=round(sum(totals) / len(totals), 2) if totals else None,
                )
            )
        return result
    published = []
    for entry in entries:
        showcase = showcase_summary(context, entry.package_id)
        if showcase is not None and showcase.get("moderation_state") == roles.PUBLISHED:
            published.append(dictization.entry_dict(entry, showcase, contest.results_published))
    return published
