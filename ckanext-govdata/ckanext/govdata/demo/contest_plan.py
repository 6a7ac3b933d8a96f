"""The demo data contest's plan: teams, entries, scores and awards drawn from ``data/showcases.yaml``.

Pure and deterministic for a seed, so the plan can be tested without a database; ``showcases``
loads it through the showcase plugin's actions.
"""
from __future__ import annotations

import dataclasses
import functools
import os
import random
from typing import Any

import yaml

DATA_FILE = os.path.join(os.path.dirname(__file__), "data", "showcases.yaml")
DEFAULT_SEED = 2026
USER_PREFIX = "sx2026"


@dataclasses.dataclass(frozen=True)
class PlannedEntry:
    title: str
    category: str
    published: bool
    # judge user name -> criterion -> score
    scores: dict[str, dict[str, int]]

    @property
    def mean_total(self) -> float:
        totals = [sum(scores.values()) for scores in self.scores.values()]
        return sum(totals) / len(totals)


@dataclasses.dataclass(frozen=True)
class PlannedTeam:
    number: int
    name: str
    organisation: str
    track: str
    members: list[str]
    leader: str
    leader_fullname: str
    entry: PlannedEntry | None


@dataclasses.dataclass(frozen=True)
class ContestPlan:
    teams: list[PlannedTeam]
    judges: dict[str, str]  # user name -> full name

    @property
    def entries(self) -> list[PlannedEntry]:
        return [team.entry for team in self.teams if team.entry]


@functools.lru_cache(maxsize=1)
def demo_data() -> dict[str, Any]:
    with open(DATA_FILE, encoding="utf-8") as source:
        return yaml.safe_load(source)


def plan_contest(seed: int = DEFAULT_SEED) -> ContestPlan:
    """Teams, entries and scores of the demo contest; the same for the same seed."""
    spec = demo_data()["contest"]
    rng = random.Random(seed)
    judges = {f"{USER_PREFIX}-judge-{index + 1}": name for index, name in enumerate(spec["judges"])}
    names = [f"{head}{tail}" for tail in spec["team_name_tails"] for head in spec["team_name_heads"]]
    rng.shuffle(names)
    teams: list[PlannedTeam] = []
    for track in spec["tracks"]:
        ideas = list(track["ideas"])
        for _ in range(track["teams"]):
            number = len(teams) + 1
            people = [rng.choice(spec["surnames"]) + rng.choice(spec["given_names"]) for _ in range(rng.randint(2, 5))]
            entry = None
            if rng.random() >= spec["share_without_entry"]:
                form = rng.choice(spec["forms"])
                idea = ideas[(number - 1) % len(ideas)]
                quality = rng.uniform(0.45, 0.95)
                panel = rng.sample(sorted(judges), spec["judges_per_entry"])
                entry = PlannedEntry(
                    title=f"{idea}{form['suffix']}",
                    category=form["category"],
                    published=rng.random() >= spec["share_unpublished"],
                    scores={
                        judge: {
                            criterion["name"]: max(0, min(criterion["max"], round(criterion["max"] * (quality + rng.uniform(-0.08, 0.08)))))
                            for criterion in spec["criteria"]
                        }
                        for judge in panel
                    },
                )
            teams.append(
                PlannedTeam(
                    number=number,
                    name=names[number - 1],
                    organisation=rng.choice(spec["organisations"]),
                    track=track["name"],
                    members=people,
                    leader=f"{USER_PREFIX}-team-{number:02d}",
                    leader_fullname=people[0],
                    entry=entry,
                )
            )
    return _distinct_titles(ContestPlan(teams=teams, judges=judges))


def _distinct_titles(contest_plan: ContestPlan) -> ContestPlan:
    """Two teams with the same idea and form get their team's name in the title."""
    seen: set[str] = set()
    teams = []
    for team in contest_plan.teams:
        if team.entry and team.entry.title in seen:
            team = dataclasses.replace(team, entry=dataclasses.replace(team.entry, title=f"{team.entry.title}（{team.name}）"))
        if team.entry:
            seen.add(team.entry.title)
        teams.append(team)
    return dataclasses.replace(contest_plan, teams=teams)


def awards(contest_plan: ContestPlan) -> dict[int, tuple[str, int]]:
    """Team number -> (award, rank in its track): the best published entries of each track."""
    ladder = [award["title"] for award in demo_data()["contest"]["awards"] for _ in range(award["count"])]
    result: dict[int, tuple[str, int]] = {}
    for track in demo_data()["contest"]["tracks"]:
        ranked = sorted(
            (team for team in contest_plan.teams if team.track == track["name"] and team.entry and team.entry.published),
            key=lambda team: (-team.entry.mean_total, team.number),  # type: ignore[union-attr]
        )
        for rank, (team, title) in enumerate(zip(ranked, ladder, strict=False), start=1):
            result[team.number] = (title, rank)
    return result
