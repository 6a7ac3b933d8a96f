"""The demo's open scenarios and data contest, written through the showcase plugin's actions.

``load(context)`` runs after the catalogue is loaded (it looks the datasets and APIs up by
domain). It is idempotent: scenarios are found by name and updated; a contest whose teams,
entries and results are all there is left alone, otherwise what is missing is added.

A finished contest cannot take teams, entries or scores (its phases are over), so the load opens
every phase for today, runs the contest as its teams and judges would, then sets the real 2026
dates and publishes the results, like the bureau would.
"""
from __future__ import annotations

import datetime as dt
import io
import random
import secrets
from typing import Any

import ckan.plugins.toolkit as tk
import click
from PIL import Image, ImageDraw
from werkzeug.datastructures import FileStorage

from ckanext.govdata import open_condition
from ckanext.govdata.demo.contest_plan import DEFAULT_SEED, ContestPlan, PlannedTeam, awards, demo_data, plan_contest
from ckanext.govdata.showcase import contest_data, contests

SCENARIO_PACKAGES = 8
SEARCH_ROWS = 1000


def _as(user: str) -> dict[str, Any]:
    # A fresh context per call (actions write into theirs), acting as ``user``.
    return {"user": user, "ignore_auth": True}


def _action(context: dict[str, Any], action: str, /, **data: Any) -> Any:
    return tk.get_action(action)(dict(context), data)


def _catalogue(context: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    """Public datasets and APIs by domain, each list in name order."""
    by_domain: dict[str, list[dict[str, Any]]] = {}
    start = 0
    while True:
        page = _action(
            context,
            "package_search",
            q="*:*",
            fq="+dataset_type:(dataset OR dataservice) +capacity:public",
            rows=SEARCH_ROWS,
            start=start,
            sort="name asc",
        )
        for package in page["results"]:
            by_domain.setdefault(package.get("domain") or "", []).append(package)
        start += SEARCH_ROWS
        if start >= page["count"]:
            return by_domain


def _scenario_packages(spec: dict[str, Any], catalogue: dict[str, list[dict[str, Any]]]) -> list[str]:
    candidates = [package for domain in spec["domains"] for package in catalogue.get(domain, [])]
    matching = [package for package in candidates if any(word in package["title"] for word in spec["keywords"])]
    chosen: list[str] = []
    for package in matching + candidates:
        if package["id"] not in chosen:
            chosen.append(package["id"])
        if len(chosen) == SCENARIO_PACKAGES:
            break
    return chosen


def _picture(seed: int) -> FileStorage:
    """A plain banner (the demo has no photographs): two tones and a few circles."""
    rng = random.Random(seed)
    base = tuple(rng.randint(40, 160) for _ in range(3))
    image = Image.new("RGB", (1200, 600), base)
    draw = ImageDraw.Draw(image)
    for _ in range(6):
        x, y, radius = rng.randint(0, 1200), rng.randint(0, 600), rng.randint(60, 220)
        tone = tuple(min(255, channel + rng.randint(30, 90)) for channel in base)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=tone)
    data = io.BytesIO()
    image.save(data, format="PNG")
    data.seek(0)
    return FileStorage(stream=data, filename=f"scenario-{seed}.png", content_type="image/png")


def _load_scenarios(context: dict[str, Any], catalogue: dict[str, list[dict[str, Any]]]) -> int:
    specs = demo_data()["scenarios"]
    for position, spec in enumerate(specs):
        fields = {
            "title": spec["title"],
            "description": spec["description"],
            "packages": _scenario_packages(spec, catalogue),
            "position": position,
        }
        try:
            existing = _action(context, "govdata_scenario_show", id=spec["name"])
        except tk.ObjectNotFound:
            _action(context, "govdata_scenario_create", name=spec["name"], image_upload=_picture(position), **fields)
            continue
        if not existing.get("image"):
            fields["image_upload"] = _picture(position)
        _action(context, "govdata_scenario_update", id=existing["id"], **fields)
    return len(specs)


def _open_today() -> dict[str, str]:
    today = contests.today()
    opens, closes = (today - dt.timedelta(days=1)).isoformat(), (today + dt.timedelta(days=1)).isoformat()
    return {field: opens if field.endswith("_opens") else closes for field in contests.DATE_FIELDS}


def _ensure_user(context: dict[str, Any], name: str, fullname: str) -> str:
    """The user's id, creating the user when missing."""
    try:
        return str(_action(context, "user_show", id=name)["id"])
    except tk.ObjectNotFound:
        return str(_action(
            context,
            "user_create",
            name=name,
            fullname=fullname,
            email=f"{name}@demo.govdata.invalid",
            # Demo people do not log in: nobody knows the password.
            password=secrets.token_urlsafe(24),
        )["id"])


def _contest_fields(spec: dict[str, Any]) -> dict[str, Any]:
    return {
        "title": spec["title"],
        "year": spec["year"],
        "description": spec["description"],
        "rules_url": spec["rules_url"],
        "criteria": spec["criteria"],
        "tracks": [{key: track[key] for key in ("name", "title", "description")} for track in spec["tracks"]],
    }


def _offered(spec: dict[str, Any], catalogue: dict[str, list[dict[str, Any]]]) -> list[str]:
    """Two datasets or APIs per domain the tracks draw on, of those a contest may offer, and the
    first conditional one of each such domain, which the registered teams are granted."""
    domains = dict.fromkeys(domain for track in spec["tracks"] for domain in track["domains"])
    offered: list[str] = []
    for domain in domains:
        offerable = [package for package in catalogue.get(domain, []) if not contest_data.offer_problems([package["id"]])]
        conditional = [package for package in offerable if package.get("open_condition") == open_condition.CONDITIONAL]
        offered += [package["id"] for package in offerable[:2] + conditional[:1]]
    return list(dict.fromkeys(offered))


def _entry_datasets(team: PlannedTeam, catalogue: dict[str, list[dict[str, Any]]], seed: int) -> list[str]:
    track = next(track for track in demo_data()["contest"]["tracks"] if track["name"] == team.track)
    pool = [package for domain in track["domains"] for package in catalogue.get(domain, [])]
    if not pool:
        return []
    rng = random.Random(seed * 1000 + team.number)
    return [package["id"] for package in rng.sample(pool, min(len(pool), rng.randint(1, 3)))]


def _is_complete(existing: dict[str, Any] | None, contest_plan: ContestPlan) -> bool:
    return bool(
        existing
        and existing["results_published"]
        and existing["team_count"] == len(contest_plan.teams)
        and existing["entry_count"] == len(contest_plan.entries)
    )


def _load_contest(context: dict[str, Any], catalogue: dict[str, list[dict[str, Any]]], seed: int) -> dict[str, Any]:
    spec = demo_data()["contest"]
    contest_plan = plan_contest(seed)
    try:
        existing = _action(context, "govdata_contest_show", id=spec["name"])
    except tk.ObjectNotFound:
        existing = None
    if _is_complete(existing, contest_plan):
        return existing

    fields = dict(_contest_fields(spec), packages=_offered(spec, catalogue), **_open_today())
    if existing:
        contest = _action(context, "govdata_contest_update", id=existing["id"], **fields)
    else:
        contest = _action(context, "govdata_contest_create", name=spec["name"], **fields)

    for judge, fullname in contest_plan.judges.items():
        _ensure_user(context, judge, fullname)
    teams = _load_teams(context, contest, contest_plan)
    entry_ids = _load_entries(context, contest, contest_plan, teams, catalogue, seed)
    for team in contest_plan.teams:
        if team.entry is None:
            continue
        entry_id = entry_ids[team.number]
        _action(context, "govdata_contest_judge_assign", entry=entry_id, judges=sorted(team.entry.scores))
        for judge, scores in team.entry.scores.items():
            _action(_as(judge), "govdata_contest_score_submit", entry=entry_id, scores=scores)

    _action(context, "govdata_contest_update", id=contest["id"], **{field: str(spec["dates"][field]) for field in contests.DATE_FIELDS})
    decided = awards(contest_plan)
    try:
        return _action(
            context,
            "govdata_contest_results_publish",
            contest=contest["id"],
            awards=[
                {"entry": entry_ids[number], "award": title, "rank": rank} for number, (title, rank) in sorted(decided.items())
            ],
        )
    except tk.ValidationError as error:
        # Only before the review opens (a clock before August 2026): the results wait for it.
        click.secho(f"Demo contest results not published: {error.error_dict}", fg="yellow")
        return _action(context, "govdata_contest_show", id=contest["id"])


def _load_teams(context: dict[str, Any], contest: dict[str, Any], contest_plan: ContestPlan) -> dict[int, str]:
    """Team number -> team id, registering the teams that are missing."""
    ids: dict[int, str] = {}
    with click.progressbar(contest_plan.teams, label="Contest teams".ljust(14), show_pos=True, width=36) as teams:
        for team in teams:
            leader_id = _ensure_user(context, team.leader, team.leader_fullname)
            # Each demo leader leads one team: the leader's teams say whether it is registered.
            mine = contests.team_ids_of(leader_id, contest["id"])
            if mine:
                ids[team.number] = mine[0]
                continue
            ids[team.number] = _action(
                _as(team.leader),
                "govdata_contest_team_register",
                contest=contest["id"],
                name=team.name,
                organisation=team.organisation,
                track=team.track,
                members=team.members,
            )["id"]
    return ids


def _load_entries(
    context: dict[str, Any],
    contest: dict[str, Any],
    contest_plan: ContestPlan,
    teams: dict[int, str],
    catalogue: dict[str, list[dict[str, Any]]],
    seed: int,
) -> dict[int, str]:
    """Team number -> entry id: submits the entries that are missing and moderates them."""
    track_titles = {track["name"]: track["title"] for track in contest["tracks"]}
    titles_by_id = {package["id"]: package["title"] for packages in catalogue.values() for package in packages}
    spec = demo_data()["contest"]
    ids: dict[int, str] = {}
    planned = [team for team in contest_plan.teams if team.entry]
    with click.progressbar(planned, label="Contest entries".ljust(14), show_pos=True, width=36) as with_entries:
        for team in with_entries:
            assert team.entry is not None
            shown = _action(_as(team.leader), "govdata_contest_team_show", id=teams[team.number])
            if shown["entries"]:
                entry = shown["entries"][0]
            else:
                datasets = _entry_datasets(team, catalogue, seed)
                entry = _action(
                    _as(team.leader),
                    "govdata_contest_entry_submit",
                    team=teams[team.number],
                    title=team.entry.title,
                    notes=spec["description"].format(
                        team=team.name,
                        organisation=team.organisation,
                        track=track_titles[team.track],
                        datasets="、".join(titles_by_id[package_id] for package_id in datasets) or "—",
                    ),
                    category=team.entry.category,
                    author=team.name,
                    datasets=datasets,
                    release_date=str(spec["dates"]["submission_closes"]),
                )
            ids[team.number] = entry["id"]
            wanted = "published" if team.entry.published else "pending"
            if wanted == "published" and entry["showcase"]["moderation_state"] != "published":
                _action(context, "govdata_showcase_moderate", id=entry["package_id"], decision="published")
    return ids


def load(context: dict[str, Any], seed: int = DEFAULT_SEED) -> dict[str, Any]:
    """Writes the demo scenarios and contest as ``context``'s user (a sysadmin, e.g. the site user)."""
    catalogue = _catalogue(context)
    scenario_count = _load_scenarios(context, catalogue)
    contest = _load_contest(context, catalogue, seed)
    click.secho(
        f"Demo scenarios and contest: {scenario_count} scenarios; {contest['title']}: {len(contest['tracks'])} tracks, "
        f"{contest['team_count']} teams, {contest['entry_count']} entries, {len(contest['winners'])} awards.",
        fg="green",
    )
    return {"scenarios": scenario_count, "contest": contest}
