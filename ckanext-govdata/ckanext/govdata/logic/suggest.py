"""The search box's suggestions (搜索建议): titles and department names as people type."""
from __future__ import annotations

import logging
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib.search import SearchError
from ckan.logic.schema import validator_args
from ckan.types import AuthResult, Context, DataDict, Schema

from ckanext.govdata import action_steps
from ckanext.govdata.open_condition import Viewer
from ckanext.govdata.search import suggest
from ckanext.govdata.validators import Fields

log = logging.getLogger(__name__)
FIELDS = Fields({"q": "Search text", "limit": "Number of suggestions", "type": "Dataset type"})
DEFAULT_LIMIT = 8
MAX_LIMIT = 20
MAX_QUERY_LENGTH = 100
# Department names among the suggestions, at most: the rest are titles.
MAX_DEPARTMENTS = 2


@validator_args
def suggest_schema(default, ignore_missing) -> Schema:
    return {
        "q": [FIELDS.required, FIELDS.text, FIELDS.max_length(MAX_QUERY_LENGTH)],
        "limit": [default(DEFAULT_LIMIT), FIELDS.whole_number(1, MAX_LIMIT)],
        "type": [ignore_missing, FIELDS.choice(suggest.DATASET_TYPES)],
    }


def _findable(context: Context, ids: list[str], dataset_type: str | None) -> dict[str, str]:
    """Of the datasets ``ids``, those the caller finds by search now: id -> name."""
    if not ids:
        return {}
    types = [dataset_type] if dataset_type else list(suggest.DATASET_TYPES)
    fq = "+id:({}) +dataset_type:({})".format(" OR ".join(f'"{i}"' for i in ids), " OR ".join(types))
    try:
        found = tk.get_action("package_search")(
            {"user": context.get("user", "")},
            {"fq": fq, "fl": "id,name", "rows": len(ids), "include_private": True},
        )
    except SearchError as error:
        raise suggest.SuggestUnavailable(str(error)[:300]) from None
    return {row["id"]: row["name"] for row in found["results"]}


def _active_departments(names: list[str]) -> set[str]:
    """Of the departments ``names``, those that still exist (the dictionary is a snapshot)."""
    if not names:
        return set()
    rows = (
        model.Session.query(model.Group.name)
        .filter(model.Group.name.in_(names), model.Group.state == "active", model.Group.is_organization.is_(True))
        .all()
    )
    return {row.name for row in rows}


def _suggestions(context: Context, text: str, limit: int, dataset_type: str | None) -> list[dict[str, str]]:
    viewer = Viewer.from_context(context)
    cfq = suggest.context_filter(viewer, suggest.member_of(viewer), dataset_type)
    # Every typed term, or else any of them (a run-on query whose bigrams no title holds all of).
    candidates = suggest.lookup(text, cfq, limit) or suggest.lookup(text, cfq, limit, all_terms=False)
    titles = [candidate for candidate in candidates if candidate.kind == suggest.TITLE]
    findable = _findable(context, [title.key for title in titles], dataset_type)
    named = [candidate for candidate in candidates if candidate.kind == suggest.DEPARTMENT]
    active = _active_departments([candidate.key for candidate in named])
    departments = [
        {"kind": candidate.kind, "text": candidate.text, "name": candidate.key}
        for candidate in named
        if candidate.key in active
    ][:MAX_DEPARTMENTS]
    shown: dict[str, dict[str, str]] = {}
    for title in titles:
        if title.key in findable and title.text not in shown:
            shown[title.text] = {"kind": title.kind, "text": title.text, "name": findable[title.key]}
    return ([*shown.values()][: limit - min(len(departments), limit // 2)] + departments)[:limit]


@tk.side_effect_free
def govdata_search_suggest(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Titles of datasets and API interfaces, and department names, holding the text typed so
    far: those starting with it first. Only what the caller finds by search is suggested.

    :param q: the text typed (at most 100 characters)
    :param limit: how many suggestions (default 8, at most 20)
    :param type: ``dataset`` or ``dataservice``: titles of that type only (default: both)
    :returns: ``{"q": …, "suggestions": [{"kind": "title" | "department", "text": …,
        "name": the dataset's or the department's name}, …]}``; no suggestions when the search
        service does not answer
    """
    data = action_steps.validate(data_dict, suggest_schema(), context)
    tk.check_access("govdata_search_suggest", context, data)
    text = data["q"]
    if not text:
        return {"q": text, "suggestions": []}
    try:
        suggestions = _suggestions(context, text, data["limit"], data.get("type"))
    except suggest.SuggestUnavailable as error:
        log.warning("no search suggestions for %r: %s", text, error)
        suggestions = []
    return {"q": text, "suggestions": suggestions}


@tk.auth_allow_anonymous_access
def _anyone(context: Context, data_dict: DataDict) -> AuthResult:
    """Suggestions are narrowed to each caller by the action itself."""
    return {"success": True}


def actions() -> dict[str, Any]:
    return {"govdata_search_suggest": govdata_search_suggest}


def auth_functions() -> dict[str, Any]:
    return dict.fromkeys(actions(), _anyone)
