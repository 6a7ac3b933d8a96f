"""The judged query set (judged_queries.yaml) and the figures it gives a search system (#13).

Shared by tests/search/test_search_quality.py (the portal's search held to its targets) and
bench/search_quality.py (the portal beside stock CKAN and a plain bigram OR query).

For each query and the names a system ranks first to last:

- recall@10: the relevant packages among the first 10, over min(relevant, 10) (so a query
  with 24 relevant packages can still score 1);
- reciprocal rank: 1 / the rank of the first relevant package, 0 when none is among the first
  10 (the first page a person reads; deeper ranks would reward systems that bury the answer);
- top-1: whether the first package is relevant.

Each kind's figure is the mean over its queries; ``overall`` is the mean over all queries.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from statistics import fmean

import yaml

JUDGED = Path(__file__).with_name("judged_queries.yaml")
CUTOFF = 10
KINDS = (
    "substring", "run_on", "multiword", "mixed", "acronym",
    "department_full", "department_short", "tag", "boundary_trap",
)
OVERALL = "overall"
METRICS = ("recall@10", "MRR", "top-1")


@dataclasses.dataclass(frozen=True)
class Query:
    q: str
    kind: str
    relevant: frozenset[str]
    from_issue: bool = False


@dataclasses.dataclass(frozen=True)
class Score:
    recall: float
    reciprocal_rank: float
    top_1: float


def load(packages_of: Callable[[str], Sequence[str]]) -> list[Query]:
    """The judged queries; ``packages_of(organization)`` names a department's packages, all of
    them relevant to a query for that department."""
    entries = yaml.safe_load(JUDGED.read_text(encoding="utf-8"))["queries"]
    return [
        Query(
            q=str(entry["q"]),
            kind=entry["kind"],
            relevant=frozenset(packages_of(entry["department"]) if "department" in entry else entry["relevant"]),
            from_issue=bool(entry.get("issue")),
        )
        for entry in entries
    ]


def demo_queries() -> list[Query]:
    """The judged queries over the demo catalogue as ``ckan govdata demo load`` writes it."""
    from ckanext.govdata.demo import catalogue

    demo = catalogue.build(catalogue.DEFAULT_SEED)
    by_department: dict[str, list[str]] = {}
    for package in demo.packages:
        by_department.setdefault(package.owner_org, []).append(package.name)
    return load(lambda organization: by_department[organization])


def score(query: Query, ranked: Sequence[str]) -> Score:
    first_page = list(ranked[:CUTOFF])
    found = [rank for rank, name in enumerate(first_page, start=1) if name in query.relevant]
    return Score(
        recall=len(set(first_page) & query.relevant) / min(len(query.relevant), CUTOFF),
        reciprocal_rank=1 / found[0] if found else 0.0,
        top_1=1.0 if found[:1] == [1] else 0.0,
    )


def figures(scores: Mapping[Query, Score]) -> dict[str, dict[str, float]]:
    """recall@10, MRR and top-1 per kind and overall."""
    groups: dict[str, list[Score]] = {kind: [] for kind in KINDS}
    for query, result in scores.items():
        groups[query.kind].append(result)
    groups[OVERALL] = list(scores.values())
    return {
        kind: {
            "recall@10": fmean(s.recall for s in results),
            "MRR": fmean(s.reciprocal_rank for s in results),
            "top-1": fmean(s.top_1 for s in results),
        }
        for kind, results in groups.items()
        if results
    }


def table(systems: Mapping[str, Mapping[str, Mapping[str, float]]], counts: Mapping[str, int]) -> str:
    """One row per kind, recall@10 / MRR / top-1 of each system side by side."""
    names = list(systems)
    width = 22
    lines = [
        f"{'kind':18}{'queries':>8}  " + "".join(f"{name:^{width}}" for name in names),
        f"{'':18}{'':>8}  " + "".join(f"{'R@10   MRR   top-1':^{width}}" for _ in names),
    ]
    for kind in (*KINDS, OVERALL):
        if kind not in counts:
            continue
        cells = "".join(
            f"{' '.join(f'{systems[name][kind][metric]:5.2f}' for metric in METRICS):^{width}}" for name in names
        )
        lines.append(f"{kind:18}{counts[kind]:>8}  {cells}")
    return "\n".join(lines)


def counts(queries: Sequence[Query]) -> dict[str, int]:
    found = {kind: sum(query.kind == kind for query in queries) for kind in KINDS}
    return {**{kind: number for kind, number in found.items() if number}, OVERALL: len(queries)}


def misses(scores: Mapping[Query, Score], rankings: Mapping[Query, Sequence[str]]) -> list[str]:
    """The queries below full marks, with what came first, for a failure message."""
    return [
        f"  [{query.kind}] {query.q}: recall@10 {result.recall:.2f}, RR {result.reciprocal_rank:.2f}; "
        f"first: {', '.join(rankings[query][:5]) or '(nothing)'}"
        for query, result in scores.items()
        if result.recall < 1 or result.reciprocal_rank < 1
    ]
