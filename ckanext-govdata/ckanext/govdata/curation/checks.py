"""Checks across the directory: published entries without data (数据目录100%挂载), and likely
duplicates (一数一源: one item of data, one authoritative entry).

Two entries look like duplicates when they are of the same kind (dataset or API) and either
- belong to one department and have nearly the same title (character bigrams, Jaccard ≥
  ``TITLE_SIMILARITY``), or
- have nearly the same distinctive data items (field names that few entries hold, Jaccard ≥
  ``ITEM_SIMILARITY``, at least ``MIN_ITEMS`` of them), in any department.
Entries whose titles differ only in their numbers are a series (2021年…, 2022年…), not duplicates.
"""
from __future__ import annotations

import dataclasses
import json
import re
from collections import defaultdict
from collections.abc import Iterable
from itertools import combinations
from typing import Any

from ckan import model

from ckanext.govdata import catalogue
from ckanext.govdata.curation import review
from ckanext.govdata.validators import grades

TITLE_SIMILARITY = 0.8
ITEM_SIMILARITY = 0.9
MIN_ITEMS = 3
# A field name held by more entries than this share of the catalogue (at least 5 entries:
# id, name, address, update_time …) tells nothing apart; the comparison uses the others.
COMMON_ITEM_SHARE = 0.01
COMMON_ITEM_MIN = 5
DIGITS = re.compile(r"\d+")
NOT_WORD = re.compile(r"[\s\W_]+", re.UNICODE)


@dataclasses.dataclass(frozen=True)
class Entry:
    id: str
    name: str
    title: str
    type: str
    owner_org: str | None
    identifier: str
    items: frozenset[str]


def entries(department_ids: Iterable[str] | None = None) -> list[Entry]:
    """The live catalogue entries (of ``department_ids``, or all)."""
    query = model.Session.query(
        model.Package.id, model.Package.name, model.Package.title, model.Package.type, model.Package.owner_org,
        model.Package.extras,
    ).filter(model.Package.state == "active", model.Package.type.in_(review.CATALOGUE_TYPES))
    if department_ids is not None:
        query = query.filter(model.Package.owner_org.in_(list(department_ids)))
    found = []
    for row in query:
        extras = row.extras or {}
        try:
            items = json.loads(extras.get("data_items") or "[]")
        except ValueError:
            items = []
        found.append(Entry(row.id, row.name, row.title or "", row.type, row.owner_org, extras.get("identifier", ""),
                           item_names(items)))
    return found


def item_names(items: Any) -> frozenset[str]:
    """The field names of data items (as stored or as an import gives them), lower case."""
    return frozenset(
        str(item["name"]).lower() for item in items or [] if isinstance(item, dict) and item.get("name")
    )


def _bigrams(title: str) -> frozenset[str]:
    text = NOT_WORD.sub("", title)
    return frozenset(text[index:index + 2] for index in range(max(len(text) - 1, 1)))


def _jaccard(left: frozenset[str], right: frozenset[str]) -> float:
    return len(left & right) / len(left | right) if left and right else 0.0


def _series(left: Entry, right: Entry) -> bool:
    """Titles that differ only in their numbers (years, batches)."""
    return DIGITS.sub("#", left.title) == DIGITS.sub("#", right.title) and left.title != right.title


def duplicate_pairs(candidates: list[Entry], among: list[Entry] | None = None) -> list[dict[str, Any]]:
    """Likely duplicate pairs, each with its reason and similarity, most similar first.

    ``among``: compare only pairs with at least one entry of ``candidates`` against all of
    ``among`` (checking new entries against the catalogue); default: all pairs of ``candidates``.
    """
    universe = among if among is not None else candidates
    wanted = {entry.id for entry in candidates}
    pairs: dict[tuple[str, str], dict[str, Any]] = {}

    def consider(left: Entry, right: Entry, reason: str, score: float) -> None:
        if left.id == right.id or left.type != right.type or _series(left, right):
            return
        if left.id not in wanted and right.id not in wanted:
            return
        key = _pair(left, right)
        if key not in pairs or pairs[key]["similarity"] < score:
            first, second = (left, right) if left.id == key[0] else (right, left)
            pairs[key] = {"entries": [_summary(first), _summary(second)], "reason": reason, "similarity": round(score, 2)}

    by_department: dict[str | None, list[Entry]] = defaultdict(list)
    for entry in universe:
        by_department[entry.owner_org].append(entry)
    for group in by_department.values():
        bigrams = {entry.id: _bigrams(entry.title) for entry in group}
        for left, right in combinations(group, 2):
            score = _jaccard(bigrams[left.id], bigrams[right.id])
            if score >= TITLE_SIMILARITY:
                consider(left, right, "title", score)

    holders: dict[str, list[Entry]] = defaultdict(list)
    for entry in universe:
        for name in entry.items:
            holders[name].append(entry)
    common = max(COMMON_ITEM_MIN, int(len(universe) * COMMON_ITEM_SHARE))
    distinctive = {name for name, group in holders.items() if len(group) <= common}
    shared: set[tuple[str, str]] = set()
    for name in distinctive:
        shared.update(_pair(left, right) for left, right in combinations(holders[name], 2))
    entry_by_id = {entry.id: entry for entry in universe}
    for left_id, right_id in shared:
        left, right = entry_by_id[left_id], entry_by_id[right_id]
        mine, theirs = left.items & distinctive, right.items & distinctive
        if len(mine & theirs) >= MIN_ITEMS:
            score = _jaccard(mine, theirs)
            if score >= ITEM_SIMILARITY:
                consider(left, right, "data_items", score)
    return sorted(pairs.values(), key=lambda pair: (-pair["similarity"], pair["entries"][0]["title"]))


def _pair(left: Entry, right: Entry) -> tuple[str, str]:
    return (left.id, right.id) if left.id < right.id else (right.id, left.id)


def _summary(entry: Entry) -> dict[str, Any]:
    return {"id": entry.id, "name": entry.name, "title": entry.title, "type": entry.type,
            "owner_org": entry.owner_org, "identifier": entry.identifier}


def without_data(department_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Published entries that serve no data: datasets without an active resource."""
    query = model.Session.query(model.Package).filter(
        model.Package.state == "active", model.Package.type.in_(review.CATALOGUE_TYPES), model.Package.private.is_(False)
    )
    if department_ids is not None:
        query = query.filter(model.Package.owner_org.in_(list(department_ids)))
    return [
        {"id": package.id, "name": package.name, "title": package.title, "type": package.type,
         "owner_org": package.owner_org}
        for package in query.order_by(model.Package.owner_org, model.Package.title)
        if not catalogue.has_data(package)
    ]


def grade_violations(department_ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """Live entries whose open condition their security grade does not allow (validators.grades),
    saved before the table bound them or under a table since tightened."""
    query = model.Session.query(model.Package).filter(
        model.Package.state == "active", model.Package.type.in_(review.CATALOGUE_TYPES)
    )
    if department_ids is not None:
        query = query.filter(model.Package.owner_org.in_(list(department_ids)))
    found = []
    for package in query.order_by(model.Package.owner_org, model.Package.title):
        extras = package.extras or {}
        grade, condition = extras.get("security_grade"), extras.get("open_condition")
        if not grades.allows(grade, condition):
            found.append({"id": package.id, "name": package.name, "title": package.title, "type": package.type,
                          "owner_org": package.owner_org, "security_grade": grade, "open_condition": condition,
                          "allowed": list(grades.allowed_conditions(grade)),
                          "review_state": review.stored_state(package)})
    return found
