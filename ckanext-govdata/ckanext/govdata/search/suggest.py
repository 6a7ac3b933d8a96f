"""Suggestions for the search box: dataset titles and department names as people type.

Solr's suggester (``/suggest`` in solrconfig.xml: two BlendedInfix dictionaries, ``title`` and
``department``, analysed into the same bigrams as the full-text fields) finds 交通运输… for 交通
and …公交站点… for 公交, titles that start with the typed text first.

Who may see a suggestion is decided twice, default-deny:

- each entry carries its dataset's visibility as tokens (``suggest_context``, written at index
  time from the dataset dict), and every lookup filters on the tokens the user holds
  (``suggest.cfq``); an entry without tokens (a draft) matches no filter;
- the dictionaries are snapshots (``build``), so the titles found are then checked against the
  live index through ``package_search`` as the user (logic/suggest.py): a dataset made private
  or not-open after the last build is dropped. Department names are public
  (``organization_list``); only those of departments that still exist are kept.

The dictionaries are built on request, not on every commit (a rebuild on each of the 1-second
soft commits would rebuild a 100,000-title dictionary continuously during a reindex): by
``ckan govdata search-index suggest`` (after a reindex, and from cron), or by ``build``.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pysolr
from ckan.lib.plugins import get_permission_labels

from ckanext.govdata import open_condition
from ckanext.govdata.open_condition import Viewer
from ckanext.govdata.search import connection

HANDLER = "suggest"
# The catalogue's types; other packages in the index (showcases) have their own moderation, and
# are never suggested.
DATASET_TYPES = ("dataset", "dataservice")
TITLE, DEPARTMENT = "title", "department"
CONTEXT_FIELD = "suggest_context"
WEIGHT_FIELD = "suggest_weight"
# Every title weighs the same: BlendedInfix multiplies the weight by 1/(position of the match
# + 1), so the position decides (交通运输… before 城市交通…).
WEIGHT = 100
# A department's name is an entry once per dataset of the department, and a title may be
# withheld from the user at the check: ask for several entries per suggestion shown.
ENTRIES_PER_SUGGESTION = 5
# Visibility tokens: letters, digits and underscores only (the filter query is parsed into
# words, and a hyphen would split a token).
PUBLIC = "public"
ACTIVE = "active"
LISTED = "listed"


class SuggestUnavailable(Exception):
    """Solr did not answer the suggester."""


@dataclass(frozen=True)
class Suggestion:
    kind: str  # TITLE or DEPARTMENT
    text: str
    key: str  # the dataset id (TITLE) or the department's name (DEPARTMENT)


def _token(prefix: str, value: str) -> str:
    return f"{prefix}_{value.replace('-', '')}"


def _member(organization_id: str) -> str:
    return _token("member", organization_id)


def _not_open_of(organization_id: str) -> str:
    return _token("notopen", organization_id)


def _type(dataset_type: str) -> str:
    return _token("type", dataset_type)


def index_fields(pkg_dict: dict[str, Any]) -> dict[str, Any]:
    """The dataset's visibility tokens and weight, for the suggester (see the module's doc).

    Mirrors CKAN's default permission labels (public; else its department's members) and
    leaves out creator and collaborator labels: those people get no suggestion of such a
    dataset, which is the safe side.
    """
    tokens: list[str] = []
    owner = pkg_dict.get("owner_org") or ""
    dataset_type = pkg_dict.get("type")
    if pkg_dict.get("state") == "active" and dataset_type in DATASET_TYPES:
        tokens += [ACTIVE, _type(dataset_type)]
        if not pkg_dict.get("private"):
            tokens.append(PUBLIC)
        elif owner:
            tokens.append(_member(owner))
        # As search hides them (open_condition.hidden_not_open_filter): by the declared value.
        if open_condition.declared_condition(pkg_dict) != open_condition.NOT_OPEN:
            tokens.append(LISTED)
        elif owner:
            tokens.append(_not_open_of(owner))
    pkg_dict[CONTEXT_FIELD] = tokens
    pkg_dict[WEIGHT_FIELD] = WEIGHT
    return pkg_dict


def _any_of(tokens: Iterable[str]) -> str:
    return "+(" + " ".join(sorted(set(tokens))) + ")"


def member_of(viewer: Viewer) -> list[str]:
    """The departments whose private datasets search shows the user: CKAN's ``member-…``
    permission labels of the user (any IPermissionLabels plugin's)."""
    labels = get_permission_labels().get_user_dataset_labels(viewer.user)
    return [label.removeprefix("member-") for label in labels if label.startswith("member-")]


def context_filter(viewer: Viewer, readable: Iterable[str], dataset_type: str | None = None) -> str:
    """The suggester's filter for ``viewer``: what search would show them, by the tokens above.

    ``readable`` are the departments whose private datasets the user may read (``member_of``).
    """
    clauses = ["+" + ACTIVE]
    if not viewer.sysadmin:
        clauses.append(_any_of([PUBLIC, *map(_member, readable)]))
    if open_condition.hidden_not_open_filter(viewer) is not None:
        clauses.append(_any_of([LISTED, *map(_not_open_of, viewer.staff_orgs())]))
    if dataset_type:
        clauses.append("+" + _type(dataset_type))
    return " ".join(clauses)


def _entries(response: dict[str, Any], dictionary: str, text: str) -> list[dict[str, Any]]:
    return list(response.get("suggest", {}).get(dictionary, {}).get(text, {}).get("suggestions", []))


def lookup(text: str, cfq: str, count: int, all_terms: bool = True) -> list[Suggestion]:
    """Titles, then departments, matching ``text`` under filter ``cfq``, each dataset and
    department once; more than ``count`` when there are, since the caller checks them and
    drops some (two datasets may share a title: the caller shows each text once)."""
    try:
        response = connection.searcher().search(
            q=text,
            search_handler=HANDLER,
            **{
                "suggest.q": text,
                "suggest.cfq": cfq,
                "suggest.count": count * ENTRIES_PER_SUGGESTION,
                "suggest.allTermsRequired": "true" if all_terms else "false",
            },
        ).raw_response
    except (pysolr.SolrError, ValueError) as error:
        raise SuggestUnavailable(str(error)[:300]) from None
    found: list[Suggestion] = []
    seen: set[tuple[str, str]] = set()
    for dictionary in (TITLE, DEPARTMENT):
        for entry in _entries(response, dictionary, text):
            term, key = str(entry.get("term") or "").strip(), str(entry.get("payload") or "")
            if term and key and (dictionary, key) not in seen:
                seen.add((dictionary, key))
                found.append(Suggestion(dictionary, term, key))
    return found


def build() -> None:
    """Rebuilds both dictionaries from the index as it is now."""
    try:
        connection.searcher().search(
            q="*:*", search_handler=HANDLER, **{"suggest.build": "true", "suggest.q": ""}
        )
    except (pysolr.SolrError, ValueError) as error:
        raise SuggestUnavailable(str(error)[:300]) from None
