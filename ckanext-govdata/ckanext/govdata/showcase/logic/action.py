"""Actions of the showcase plugin: showcases (应用成果) and their moderation, open scenarios, data contests."""
from __future__ import annotations

import uuid
from typing import Any

import ckan.lib.plugins as lib_plugins
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.lib import search
from ckan.types import Action, Context, DataDict
from sqlalchemy import cast, func, or_
from sqlalchemy.dialects.postgresql import JSONB

from ckanext.govdata.messages import bilingual
from ckanext.govdata.showcase import contest_data, contests, images, roles, rules_documents
from ckanext.govdata.showcase import validators as showcase_validators
from ckanext.govdata.showcase.logic import schema
from ckanext.govdata.showcase.model import (
    Contest,
    ContestAssignment,
    ContestEntry,
    ContestScore,
    ContestTeam,
    ContestTeamAccount,
    ContestTrack,
    Scenario,
    ScenarioPackage,
    ShowcaseReview,
)

UPLOAD_FIELD = "screenshot_upload"
REMOVE_FIELD = "screenshot_remove"
# Form and API parameters of our actions that are not showcase fields.
NOT_FIELDS = (UPLOAD_FIELD, REMOVE_FIELD)
LIST_FOR_PACKAGE_LIMIT = 100


def _validate(data_dict: DataDict, action_schema: dict[str, Any], context: Context) -> dict[str, Any]:
    data, errors = tk.navl_validate(data_dict, action_schema, context)
    if errors:
        raise tk.ValidationError(errors)
    return data


def _showcase_object(reference: str) -> model.Package:
    package = model.Package.get(reference)
    if not roles.is_showcase(package) or package.state == "deleted":
        raise tk.ObjectNotFound(tk._("Showcase not found"))
    return package


def _store_screenshots(uploads: list[Any], already: int) -> list[dict[str, Any]]:
    """Checks and stores every upload, or none of them: one bad image refuses the lot."""
    limit = int(tk.config.get("ckanext.govdata.showcase.screenshots_max"))
    if already + len(uploads) > limit:
        raise tk.ValidationError({UPLOAD_FIELD: [bilingual("A showcase has at most {limit} screenshots", limit=limit)]})
    stored: list[dict[str, Any]] = []
    try:
        for upload in uploads:
            stored.append(images.store(upload).as_dict())
    except images.ImageRejected as rejected:
        for image in stored:
            images.delete(image)
        raise tk.ValidationError({UPLOAD_FIELD: [str(rejected)]}) from None
    return stored


def _fields(data_dict: DataDict) -> dict[str, Any]:
    # Keys starting "__" are navl's own (__junk, __extras, __before); from a client they crash it.
    return {key: value for key, value in data_dict.items() if key not in NOT_FIELDS and not str(key).startswith("__")}


def _image_errors(uploads: list[Any]) -> list[str]:
    errors = []
    for upload in uploads:
        try:
            images.check(upload)
        except images.ImageRejected as rejected:
            errors.append(str(rejected))
    return errors


def _field_errors(context: Context, fields: dict[str, Any]) -> dict[str, Any]:
    """What package_create would say about the fields, without creating anything."""
    plugin = lib_plugins.lookup_package_plugin(roles.SHOWCASE_TYPE)
    _data, errors = lib_plugins.plugin_validate(
        plugin, dict(context), dict(fields), plugin.create_package_schema(), "package_create"
    )
    return errors


def govdata_showcase_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a showcase (应用成果). It is seen by its author and the moderators until published.

    :param screenshot_upload: image file(s), PNG, JPEG or WebP (optional)
    Every other parameter is a field of the ``showcase`` schema (title, notes, category, url,
    author, datasets, release_date, tag_string, name).
    """
    # Access first: decoding images is work we do for registered users only.
    tk.check_access("govdata_showcase_create", context, data_dict)
    fields = dict(_fields(data_dict), type=roles.SHOWCASE_TYPE)
    fields.pop("id", None)
    if not fields.get("name"):
        # Titles are mostly Chinese, which makes no URL name: give one the author can change.
        fields["name"] = f"showcase-{uuid.uuid4().hex[:12]}"
    uploads = images.uploads(data_dict.get(UPLOAD_FIELD))
    image_errors = _image_errors(uploads)
    if image_errors:
        # One answer with every problem, so a form shows the field errors and the image errors.
        raise tk.ValidationError(dict(_field_errors(context, fields), **{UPLOAD_FIELD: image_errors}))
    screenshots = _store_screenshots(uploads, 0)
    try:
        return tk.get_action("package_create")(
            dict(context, **{showcase_validators.SCREENSHOTS_KEY: screenshots}), fields
        )
    except Exception:
        for image in screenshots:
            images.delete(image)
        raise


def govdata_showcase_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a showcase. Unless a moderator makes the change, it goes back to moderation.

    :param id: the showcase's id or name
    :param screenshot_upload: image file(s) to add (optional)
    :param screenshot_remove: file names of screenshots to drop (optional, list or comma-separated)
    Fields not given keep their value (patch semantics).
    """
    _validate(data_dict, schema.showcase_id_schema(), context)
    package = _showcase_object(data_dict["id"])
    tk.check_access("govdata_showcase_update", context, {"id": package.id})
    current = tk.get_action("package_show")(dict(context), {"id": package.id})
    remove = set(schema.v.as_list(data_dict.get(REMOVE_FIELD)))
    unknown = remove - {shot["file"] for shot in current.get("screenshots", [])}
    if unknown:
        raise tk.ValidationError({REMOVE_FIELD: [bilingual("No such screenshot: {value}", value=", ".join(sorted(unknown)))]})
    kept = [shot for shot in current.get("screenshots", []) if shot["file"] not in remove]
    added = _store_screenshots(images.uploads(data_dict.get(UPLOAD_FIELD)), len(kept))
    screenshots = kept + added
    # Screenshots also go in the data: package_update skips saving data equal to what is stored.
    patch = dict(_fields(data_dict), id=package.id, screenshots=screenshots)
    patch.pop("type", None)
    try:
        updated = tk.get_action("package_patch")(
            dict(context, **{showcase_validators.SCREENSHOTS_KEY: screenshots}), patch
        )
    except Exception:
        for image in added:
            images.delete(image)
        raise
    for shot in current.get("screenshots", []):
        if shot["file"] in remove:
            images.delete(shot)
    return updated


def govdata_showcase_moderate(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Publish a showcase, return it to its author with comments, or reject it.

    :param id: the showcase's id or name
    :param decision: ``published``, ``returned`` or ``rejected``
    :param comment: what the author should know; required when returning or rejecting
    :returns: ``{"showcase": <package>, "review": <the decision>}``
    """
    data = _validate(data_dict, schema.showcase_moderate_schema(), context)
    if data["decision"] != roles.PUBLISHED and not (data.get("comment") or "").strip():
        raise tk.ValidationError({"comment": [bilingual("Say what the author should change or why it is rejected")]})
    package = _showcase_object(data["id"])
    tk.check_access("govdata_showcase_moderate", context, {"id": package.id})
    reviewer = model.User.get(context["user"])
    assert reviewer is not None  # check_access let only a moderator through
    # The state also goes in the data: package_update skips saving data equal to what is stored.
    showcase = tk.get_action("package_patch")(
        dict(context, **{showcase_validators.MODERATION_STATE_KEY: data["decision"]}),
        {"id": package.id, "moderation_state": data["decision"]},
    )
    review = ShowcaseReview(
        package_id=package.id, decision=data["decision"], comment=(data.get("comment") or "").strip(), reviewer_id=reviewer.id
    )
    model.Session.add(review)
    model.repo.commit()
    return {"showcase": showcase, "review": _review_dict(review)}


def _review_dict(review: ShowcaseReview) -> dict[str, Any]:
    result = review.as_dict()
    reviewer = model.User.get(review.reviewer_id)
    result["reviewer"] = reviewer.display_name if reviewer else ""
    return result


@tk.side_effect_free
def govdata_showcase_review_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The moderation decisions on a showcase, newest first (for its editors and the moderators)."""
    data = _validate(data_dict, schema.showcase_id_schema(), context)
    package = _showcase_object(data["id"])
    tk.check_access("govdata_showcase_review_list", context, {"id": package.id})
    reviews = (
        model.Session.query(ShowcaseReview)
        .filter(ShowcaseReview.package_id == package.id)
        .order_by(ShowcaseReview.created.desc())
    )
    return [_review_dict(review) for review in reviews]


@tk.side_effect_free
def govdata_showcase_list_for_package(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The published showcases that use a dataset or API, newest first.

    :param id: the dataset's or API's id or name
    """
    data = _validate(data_dict, schema.showcase_id_schema(), context)
    package = model.Package.get(data["id"])
    if package is None:
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    tk.check_access("govdata_showcase_list_for_package", context, {"id": package.id})
    extras = model.Package.extras
    showcase_ids = [
        row.id
        for row in model.Session.query(model.Package.id)
        .filter(model.Package.type == roles.SHOWCASE_TYPE)
        .filter(model.Package.state == "active")
        .filter(extras["moderation_state"].astext == roles.PUBLISHED)
        .filter(cast(extras["datasets"].astext, JSONB).contains([package.id]))
        .order_by(model.Package.metadata_created.desc())
        .limit(LIST_FOR_PACKAGE_LIMIT)
    ]
    return [tk.get_action("package_show")(dict(context), {"id": showcase_id}) for showcase_id in showcase_ids]


# --- Open scenarios (开放场景) ----------------------------------------------------------------

IMAGE_FIELD = "image_upload"


def _scenario_object(reference: str) -> Scenario:
    scenario = model.Session.query(Scenario).filter(or_(Scenario.id == reference, Scenario.name == reference)).one_or_none()
    if scenario is None:
        raise tk.ObjectNotFound(tk._("Scenario not found"))
    return scenario


def _name_taken(name: str, own_id: str | None = None) -> bool:
    query = model.Session.query(Scenario.id).filter(Scenario.name == name)
    if own_id:
        query = query.filter(Scenario.id != own_id)
    return model.Session.query(query.exists()).scalar()


def _scenario_image(data_dict: DataDict) -> dict[str, Any] | None:
    uploads = images.uploads(data_dict.get(IMAGE_FIELD))
    if not uploads:
        return None
    try:
        return images.store(uploads[0]).as_dict()
    except images.ImageRejected as rejected:
        raise tk.ValidationError({IMAGE_FIELD: [str(rejected)]}) from None


def _set_scenario_packages(scenario: Scenario, package_ids: list[str]) -> None:
    model.Session.query(ScenarioPackage).filter(ScenarioPackage.scenario_id == scenario.id).delete()
    for position, package_id in enumerate(package_ids):
        model.Session.add(ScenarioPackage(scenario_id=scenario.id, package_id=package_id, position=position))


def _scenario_package_ids(scenario: Scenario) -> list[str]:
    rows = (
        model.Session.query(ScenarioPackage.package_id)
        .filter(ScenarioPackage.scenario_id == scenario.id)
        .order_by(ScenarioPackage.position)
    )
    return [row.package_id for row in rows]


def _scenario_dict(scenario: Scenario) -> dict[str, Any]:
    return {
        "id": scenario.id,
        "name": scenario.name,
        "title": scenario.title,
        "description": scenario.description,
        "image": scenario.image,
        "position": scenario.position,
        "created": scenario.created.isoformat(),
        "modified": scenario.modified.isoformat(),
    }


def govdata_scenario_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Create an open scenario (staff).

    :param name: URL name; :param title: title; :param description: description (Markdown)
    :param packages: datasets and APIs in display order (names or ids; list or comma-separated)
    :param position: place on the scenarios page (lower first)
    :param image_upload: picture (PNG, JPEG or WebP)
    """
    data = _validate(data_dict, schema.scenario_create_schema(), context)
    if _name_taken(data["name"]):
        raise tk.ValidationError({"name": [bilingual("This URL name is already used: {value}", value=data["name"])]})
    tk.check_access("govdata_scenario_create", context, data_dict)
    scenario = Scenario(
        name=data["name"],
        title=data["title"],
        description=data.get("description") or "",
        position=data.get("position") or 0,
        image=_scenario_image(data_dict),
    )
    model.Session.add(scenario)
    model.Session.flush()
    _set_scenario_packages(scenario, data.get("packages") or [])
    model.repo.commit()
    return govdata_scenario_show(dict(context), {"id": scenario.id})


def govdata_scenario_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a scenario (staff); fields not given keep their value.

    :param id: the scenario's id or name
    :param packages: when given, the whole ordered list of datasets and APIs
    :param image_upload: a new picture; :param remove_image: drop the picture
    """
    data = _validate(data_dict, schema.scenario_update_schema(), context)
    scenario = _scenario_object(data["id"])
    if data.get("name") and _name_taken(data["name"], scenario.id):
        raise tk.ValidationError({"name": [bilingual("This URL name is already used: {value}", value=data["name"])]})
    tk.check_access("govdata_scenario_update", context, {"id": scenario.id})
    for field in ("name", "title", "description", "position"):
        if field in data:
            setattr(scenario, field, data[field])
    old_image = scenario.image
    new_image = _scenario_image(data_dict)
    if new_image or data.get("remove_image"):
        scenario.image = new_image
    if "packages" in data:
        _set_scenario_packages(scenario, data["packages"])
    model.repo.commit()
    if old_image and scenario.image != old_image:
        images.delete(old_image)
    return govdata_scenario_show(dict(context), {"id": scenario.id})


def govdata_scenario_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Delete a scenario (staff). The datasets stay; only the collection goes."""
    data = _validate(data_dict, schema.showcase_id_schema(), context)
    scenario = _scenario_object(data["id"])
    tk.check_access("govdata_scenario_delete", context, {"id": scenario.id})
    image = scenario.image
    model.Session.delete(scenario)
    model.repo.commit()
    if image:
        images.delete(image)
    return {"id": data["id"], "deleted": True}


@tk.side_effect_free
def govdata_scenario_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A scenario with the datasets and APIs of it the caller may see, in the scenario's order."""
    data = _validate(data_dict, schema.showcase_id_schema(), context)
    scenario = _scenario_object(data["id"])
    tk.check_access("govdata_scenario_show", context, {"id": scenario.id})
    packages = []
    for package_id in _scenario_package_ids(scenario):
        try:
            packages.append(tk.get_action("package_show")(dict(context), {"id": package_id}))
        except (tk.NotAuthorized, tk.ObjectNotFound):
            continue
    return dict(_scenario_dict(scenario), packages=packages)


@tk.side_effect_free
def govdata_scenario_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Every scenario, in the staff's order, with how many public datasets and APIs each has."""
    tk.check_access("govdata_scenario_list", context, data_dict)
    counts = dict(
        model.Session.query(ScenarioPackage.scenario_id, func.count())
        .join(model.Package, model.Package.id == ScenarioPackage.package_id)
        .filter(model.Package.state == "active", model.Package.private.is_(False))
        .group_by(ScenarioPackage.scenario_id)
        .all()
    )
    scenarios = model.Session.query(Scenario).order_by(Scenario.position, Scenario.title)
    return [dict(_scenario_dict(scenario), package_count=counts.get(scenario.id, 0)) for scenario in scenarios]


# --- Data contests (开放大赛) ------------------------------------------------------------------


def _contest_object(reference: str) -> Contest:
    contest = contests.contest_object(reference)
    if contest is None:
        raise tk.ObjectNotFound(tk._("Contest not found"))
    return contest


def _team_object(team_id: str) -> ContestTeam:
    team = model.Session.get(ContestTeam, team_id)
    if team is None:
        raise tk.ObjectNotFound(tk._("Team not found"))
    return team


def _entry_object(entry_id: str) -> ContestEntry:
    entry = model.Session.get(ContestEntry, entry_id)
    if entry is None:
        raise tk.ObjectNotFound(tk._("Entry not found"))
    return entry


def _closed(contest: Contest, phase: str) -> tk.ValidationError:
    """The refusal of something done outside its phase, with the phase's dates."""
    opens, closes = {name: (start, end) for name, start, end in contests.PHASES}[phase]
    messages = {
        contests.REGISTRATION: bilingual(
            "Team registration for this contest is open from {opens} to {closes}",
            opens=getattr(contest, opens), closes=getattr(contest, closes),
        ),
        contests.SUBMISSION: bilingual(
            "Entries to this contest are accepted from {opens} to {closes}",
            opens=getattr(contest, opens), closes=getattr(contest, closes),
        ),
        contests.REVIEW: bilingual(
            "Entries are scored from {opens} to {closes}, until the results are published",
            opens=getattr(contest, opens), closes=getattr(contest, closes),
        ),
    }
    return tk.ValidationError({"contest": [messages[phase]]})


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


def _tracks(contest: Contest) -> list[ContestTrack]:
    return (
        model.Session.query(ContestTrack)
        .filter(ContestTrack.contest_id == contest.id)
        .order_by(ContestTrack.position, ContestTrack.name)
        .all()
    )


def _set_tracks(contest: Contest, wanted: list[dict[str, Any]]) -> None:
    """Tracks are matched by name: kept ones are updated, new ones added, unused ones dropped."""
    existing = {track.name: track for track in _tracks(contest)}
    for position, values in enumerate(wanted):
        track = existing.pop(values["name"], None) or ContestTrack(contest_id=contest.id, name=values["name"])
        track.title, track.description, track.position = values["title"], values["description"], position
        model.Session.add(track)
    for track in existing.values():
        in_use = model.Session.query(ContestTeam.id).filter(ContestTeam.track_id == track.id).first()
        if in_use:
            model.Session.rollback()
            raise tk.ValidationError({"tracks": [bilingual("Teams are registered in track {value}: it cannot be removed", value=track.name)]})
        model.Session.delete(track)


def _count_by(column: Any, contest: Contest, entity: Any) -> dict[str, int]:
    rows = model.Session.query(column, func.count()).filter(entity.contest_id == contest.id).group_by(column)
    return dict(rows.all())


def _contest_dict(contest: Contest) -> dict[str, Any]:
    teams_by_track = _count_by(ContestTeam.track_id, contest, ContestTeam)
    entries_by_track = _count_by(ContestEntry.track_id, contest, ContestEntry)
    result: dict[str, Any] = {
        "id": contest.id,
        "name": contest.name,
        "title": contest.title,
        "year": contest.year,
        "description": contest.description,
        "rules_url": contest.rules_url,
        "rules_document": (
            {key: contest.rules_document[key] for key in ("name", "size", "mimetype")} if contest.rules_document else None
        ),
        "criteria": contest.criteria,
        "packages": contest.packages,
        # Registered teams hold grants to the offered conditional data until this day.
        "team_data_until": contest.review_closes.isoformat(),
        "results_published": contest.results_published,
        "phases": contests.current_phases(contest),
        "tracks": [
            {
                "id": track.id,
                "name": track.name,
                "title": track.title,
                "description": track.description,
                "team_count": teams_by_track.get(track.id, 0),
                "entry_count": entries_by_track.get(track.id, 0),
            }
            for track in _tracks(contest)
        ],
        "team_count": sum(teams_by_track.values()),
        "entry_count": sum(entries_by_track.values()),
    }
    result.update({field: getattr(contest, field).isoformat() for field in contests.DATE_FIELDS})
    return result


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
    data = _validate(data_dict, schema.contest_create_schema(), context)
    _check_phase_order(data)
    _check_offer(data.get("packages") or [])
    if model.Session.query(Contest.id).filter(Contest.name == data["name"]).first():
        raise tk.ValidationError({"name": [bilingual("This URL name is already used: {value}", value=data["name"])]})
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
    model.repo.commit()
    return _contest_dict(contest)


def govdata_contest_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a contest (staff); fields not given keep their value.

    :param rules_upload: a new rules document; :param remove_rules: drop the rules document
    """
    data = _validate(data_dict, schema.contest_update_schema(), context)
    contest = _contest_object(data["id"])
    values = {field: data.get(field, getattr(contest, field)) for field in contests.DATE_FIELDS}
    _check_phase_order(values)
    if "packages" in data:
        _check_offer(data["packages"])
    if data.get("name") and model.Session.query(Contest.id).filter(Contest.name == data["name"], Contest.id != contest.id).first():
        raise tk.ValidationError({"name": [bilingual("This URL name is already used: {value}", value=data["name"])]})
    tk.check_access("govdata_contest_update", context, {"id": contest.id})
    upload = rules_documents.upload_of(data_dict)
    checked = rules_documents.check(upload) if upload else None
    for field in ("name", "title", "year", "description", "rules_url", "criteria", "packages", *contests.DATE_FIELDS):
        if field in data:
            setattr(contest, field, data[field])
    if "tracks" in data:
        _set_tracks(contest, data["tracks"])
    if "packages" in data or any(field in data for field in contests.DATE_FIELDS):
        contest_data.sync_contest(contest)
    old_rules = contest.rules_document
    if upload and checked:
        contest.rules_document = rules_documents.store(contest.id, upload, checked)
    elif data.get("remove_rules"):
        contest.rules_document = None
    try:
        model.repo.commit()
    except Exception:
        if contest.rules_document is not old_rules:
            rules_documents.delete(contest.id, contest.rules_document)
        raise
    if old_rules and contest.rules_document != old_rules:
        rules_documents.delete(contest.id, old_rules)
    return _contest_dict(contest)


@tk.side_effect_free
def govdata_contest_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Every contest, newest first, with its phase, tracks and counts."""
    tk.check_access("govdata_contest_list", context, data_dict)
    return [_contest_dict(contest) for contest in model.Session.query(Contest).order_by(Contest.year.desc(), Contest.title)]


def _showcase_summary(context: Context, package_id: str) -> dict[str, Any] | None:
    """The entry's showcase as the caller may see it, or None."""
    try:
        return tk.get_action("package_show")(dict(context), {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None


def _entry_dict(entry: ContestEntry, showcase: dict[str, Any] | None, results_published: bool) -> dict[str, Any]:
    team = model.Session.get(ContestTeam, entry.team_id)
    track = model.Session.get(ContestTrack, entry.track_id)
    return {
        "id": entry.id,
        "contest_id": entry.contest_id,
        "team_id": entry.team_id,
        "team": team.name if team else "",
        "organisation": team.organisation if team else "",
        "track": track.name if track else "",
        "track_title": track.title if track else "",
        "package_id": entry.package_id,
        "showcase": showcase,
        "submitted": entry.submitted.isoformat(),
        "award": entry.award if results_published else None,
        "rank": entry.rank if results_published else None,
    }


@tk.side_effect_free
def govdata_contest_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A contest with its offered datasets, its published entries and, once out, its winners."""
    data = _validate(data_dict, schema.contest_id_schema(), context)
    contest = _contest_object(data["id"])
    tk.check_access("govdata_contest_show", context, {"id": contest.id})
    result = _contest_dict(contest)
    offered = [_showcase_summary(context, package_id) for package_id in contest.packages]
    result["offered_packages"] = [package for package in offered if package]
    entries = govdata_contest_entry_list(dict(context), {"contest": contest.id, "public": True})
    result["entries"] = entries
    result["winners"] = sorted(
        (entry for entry in entries if entry["award"]), key=lambda entry: (entry["rank"] or 10**6, entry["team"])
    )
    user = roles.user_object(context.get("auth_user_obj") or context.get("user"))
    my_team_ids = set(contests.team_ids_of(user.id)) if user else set()
    my_teams = model.Session.query(ContestTeam).filter(ContestTeam.contest_id == contest.id, ContestTeam.id.in_(my_team_ids))
    result["my_teams"] = [_team_dict(team, with_accounts=True) for team in my_teams]
    result["is_judge"] = bool(
        user
        and model.Session.query(ContestAssignment.entry_id)
        .join(ContestEntry, ContestEntry.id == ContestAssignment.entry_id)
        .filter(ContestEntry.contest_id == contest.id, ContestAssignment.judge_id == user.id)
        .first()
    )
    return result


def _team_dict(team: ContestTeam, with_accounts: bool) -> dict[str, Any]:
    track = model.Session.get(ContestTrack, team.track_id)
    result = {
        "id": team.id,
        "contest_id": team.contest_id,
        "name": team.name,
        "organisation": team.organisation,
        "track": track.name if track else "",
        "track_title": track.title if track else "",
        "members": team.members,
        "created": team.created.isoformat(),
    }
    if with_accounts:
        accounts = (
            model.Session.query(model.User.name)
            .join(ContestTeamAccount, ContestTeamAccount.user_id == model.User.id)
            .filter(ContestTeamAccount.team_id == team.id)
            .order_by(model.User.name)
        )
        result["accounts"] = [row.name for row in accounts]
        leader = model.Session.get(model.User, team.leader_id)
        result["leader"] = leader.name if leader else ""
    return result


def govdata_contest_team_register(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Register a team for a contest while registration is open. The caller leads it.

    :param contest: the contest's id or name
    :param name: the team's name (unique in the contest); :param organisation: school, company …
    :param track: the track's name or id
    :param members: names of the people in the team (list or comma-separated)
    :param accounts: other users who may submit and edit the team's entries (user names)
    """
    data = _validate(data_dict, schema.contest_team_register_schema(), context)
    contest = _contest_object(data["contest"])
    tk.check_access("govdata_contest_team_register", context, data_dict)
    if not contests.is_open(contest, contests.REGISTRATION):
        raise _closed(contest, contests.REGISTRATION)
    track = _track_of(contest, data["track"])
    _check_team_name_free(contest, data["name"])
    leader = roles.user_object(context.get("auth_user_obj") or context["user"])
    assert leader is not None  # check_access let only registered users through
    account_ids = _account_ids(leader.id, data.get("accounts") or [])
    _check_accounts_free(contest, account_ids)
    team = ContestTeam(
        contest_id=contest.id,
        track_id=track.id,
        name=data["name"],
        organisation=data.get("organisation") or "",
        members=data.get("members") or [leader.display_name],
        leader_id=leader.id,
    )
    model.Session.add(team)
    model.Session.flush()
    for user_id in dict.fromkeys(account_ids):
        model.Session.add(ContestTeamAccount(team_id=team.id, user_id=user_id))
    model.Session.flush()
    contest_data.sync_team(contest, team)
    model.repo.commit()
    return _team_dict(team, with_accounts=True)


def _track_of(contest: Contest, reference: str) -> ContestTrack:
    """The contest's track by name or id, or a ValidationError naming ``track``."""
    track = next((track for track in _tracks(contest) if reference in (track.id, track.name)), None)
    if track is None:
        raise tk.ValidationError({"track": [bilingual("This contest has no track {value}", value=reference)]})
    return track


def _check_team_name_free(contest: Contest, name: str, team: ContestTeam | None = None) -> None:
    """Team names are unique in a contest (``team``: the one being renamed, which may keep its own)."""
    query = model.Session.query(ContestTeam.id).filter(ContestTeam.contest_id == contest.id, ContestTeam.name == name)
    if team is not None:
        query = query.filter(ContestTeam.id != team.id)
    if query.first():
        raise tk.ValidationError({"name": [bilingual("A team of this name is already registered: {value}", value=name)]})


def _account_ids(leader_id: str, names: list[str]) -> list[str]:
    """The leader first, then the other accounts named, once each."""
    others = [user.id for user in map(model.User.get, names) if user and user.id != leader_id]
    return list(dict.fromkeys([leader_id, *others]))


def _check_accounts_free(contest: Contest, account_ids: list[str], team: ContestTeam | None = None) -> None:
    """An account acts for one team of a contest, and does not judge an entry of the team."""
    query = (
        model.Session.query(model.User.name)
        .join(ContestTeamAccount, ContestTeamAccount.user_id == model.User.id)
        .join(ContestTeam, ContestTeam.id == ContestTeamAccount.team_id)
        .filter(ContestTeam.contest_id == contest.id, model.User.id.in_(account_ids))
    )
    if team is not None:
        query = query.filter(ContestTeam.id != team.id)
    already = [row.name for row in query.order_by(model.User.name)]
    if already:
        raise tk.ValidationError({"accounts": [bilingual("Already in a team of this contest: {value}", value=", ".join(already))]})
    if team is None:
        return
    judging = (
        model.Session.query(model.User.name)
        .join(ContestAssignment, ContestAssignment.judge_id == model.User.id)
        .join(ContestEntry, ContestEntry.id == ContestAssignment.entry_id)
        .filter(ContestEntry.team_id == team.id, model.User.id.in_(account_ids))
        .order_by(model.User.name)
    )
    judges = [row.name for row in judging]
    if judges:
        raise tk.ValidationError({"accounts": [bilingual("Judges of the team's entries cannot join it: {value}", value=", ".join(judges))]})


def govdata_contest_team_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a registered team; fields not given keep their value.

    :param id: the team's id
    :param name: the team's name; :param organisation: school, company …
    :param members: names of the people in the team (list or comma-separated)
    :param accounts: the users besides the leader who act for the team (leader or staff only)
    :param track: the track's name or id: while registration is open and before any entry
    The team's accounts change it until submissions close; the bureau's staff at any time.
    The contest's conditional data follows the accounts: those added are granted it, those
    removed lose it.
    """
    data = _validate(data_dict, schema.contest_team_update_schema(), context)
    team = _team_object(data["id"])
    contest = model.Session.get(Contest, team.contest_id)
    assert contest is not None
    tk.check_access("govdata_contest_team_update", context, {"id": team.id, "accounts": "accounts" in data})
    staff = roles.is_moderator(context.get("auth_user_obj") or context["user"])
    if not staff and contests.today() > contest.submission_closes:
        raise tk.ValidationError({"contest": [bilingual("Teams can be changed until submissions close on {date}", date=contest.submission_closes)]})
    if "track" in data:
        track = _track_of(contest, data["track"])
        if track.id != team.track_id:
            if not staff and not contests.is_open(contest, contests.REGISTRATION):
                raise tk.ValidationError({"track": [bilingual(
                    "The track can be changed while registration is open, until {date}", date=contest.registration_closes
                )]})
            if model.Session.query(ContestEntry.id).filter(ContestEntry.team_id == team.id).first():
                raise tk.ValidationError({"track": [bilingual("A team that has submitted entries keeps its track")]})
            team.track_id = track.id
    if "name" in data and data["name"] != team.name:
        _check_team_name_free(contest, data["name"], team)
        team.name = data["name"]
    if "organisation" in data:
        team.organisation = data["organisation"] or ""
    if "members" in data:
        team.members = data["members"]
    if "accounts" in data:
        account_ids = _account_ids(team.leader_id, data["accounts"])
        _check_accounts_free(contest, account_ids, team)
        model.Session.query(ContestTeamAccount).filter(ContestTeamAccount.team_id == team.id).delete()
        for user_id in account_ids:
            model.Session.add(ContestTeamAccount(team_id=team.id, user_id=user_id))
        model.Session.flush()
    contest_data.sync_team(contest, team)
    model.repo.commit()
    return _team_dict(team, with_accounts=True)


@tk.side_effect_free
def govdata_contest_team_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A team, its entries the caller may see and, for its members and staff, its accounts."""
    data = _validate(data_dict, schema.contest_id_schema(), context)
    team = _team_object(data["id"])
    tk.check_access("govdata_contest_team_show", context, {"id": team.id})
    user = roles.user_object(context.get("auth_user_obj") or context.get("user"))
    insider = user is not None and (roles.is_moderator(user) or contests.is_team_account(team.id, user.id))
    contest = model.Session.get(Contest, team.contest_id)
    assert contest is not None
    entries = []
    for entry in model.Session.query(ContestEntry).filter(ContestEntry.team_id == team.id).order_by(ContestEntry.submitted):
        showcase = _showcase_summary(context, entry.package_id)
        if showcase is not None:
            entries.append(_entry_dict(entry, showcase, contest.results_published))
    result = dict(_team_dict(team, with_accounts=insider), entries=entries)
    result["is_member"] = insider and user is not None and contests.is_team_account(team.id, user.id)
    if insider:
        result["grants"] = contest_data.team_grants(team.id)
        result["editable"] = roles.is_moderator(user) or contests.today() <= contest.submission_closes
    return result


def govdata_contest_entry_submit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a team's entry while submissions are open: a new showcase, or one the caller wrote.

    :param team: the team's id
    :param showcase: id or name of an existing showcase of the caller (optional); otherwise the
        showcase fields (title, notes, category, author, datasets …, screenshot_upload) make one.
    The showcase is moderated like any other before the public sees it; the team's accounts,
    the moderators and the entry's judges see it meanwhile.
    """
    data = _validate(data_dict, schema.contest_entry_submit_schema(), context)
    team = _team_object(data["team"])
    contest = model.Session.get(Contest, team.contest_id)
    assert contest is not None
    tk.check_access("govdata_contest_entry_submit", context, {"team_id": team.id})
    if not contests.is_open(contest, contests.SUBMISSION):
        raise _closed(contest, contests.SUBMISSION)
    if data.get("showcase"):
        existing = _showcase_object(data["showcase"])
        if not roles.is_author(existing, context.get("auth_user_obj") or context["user"]):
            raise tk.ValidationError({"showcase": [bilingual("Only showcases you submitted can be entered: {value}", value=data["showcase"])]})
        if contests.entry_of(existing.id) is not None:
            raise tk.ValidationError({"showcase": [bilingual("This showcase is already a contest entry: {value}", value=data["showcase"])]})
        package_id = existing.id
    else:
        fields = {key: value for key, value in data_dict.items() if key not in ("team", "showcase")}
        package_id = tk.get_action("govdata_showcase_create")(dict(context), fields)["id"]
    entry = ContestEntry(contest_id=contest.id, team_id=team.id, track_id=team.track_id, package_id=package_id)
    model.Session.add(entry)
    model.repo.commit()
    # The showcase's permission labels now include the team's and the judges'.
    search.rebuild(package_id)
    return _entry_dict(entry, tk.get_action("package_show")(dict(context), {"id": package_id}), contest.results_published)


def _scores(entry_ids: list[str], judge_id: str | None = None) -> dict[str, dict[str, dict[str, int]]]:
    """entry id -> judge id -> criterion -> score."""
    query = model.Session.query(ContestScore).filter(ContestScore.entry_id.in_(entry_ids))
    if judge_id:
        query = query.filter(ContestScore.judge_id == judge_id)
    result: dict[str, dict[str, dict[str, int]]] = {}
    for score in query:
        result.setdefault(score.entry_id, {}).setdefault(score.judge_id, {})[score.criterion] = score.score
    return result


def _judges(entry_ids: list[str]) -> dict[str, list[str]]:
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
    data = _validate(data_dict, schema.contest_entry_list_schema(), context)
    contest = _contest_object(data["contest"])
    tk.check_access("govdata_contest_entry_list", context, {"id": contest.id})
    user = roles.user_object(context.get("auth_user_obj") or context.get("user"))
    query = model.Session.query(ContestEntry).filter(ContestEntry.contest_id == contest.id).order_by(ContestEntry.submitted)
    if data.get("assigned"):
        if user is None:
            raise tk.NotAuthorized(tk._("Log in to see the entries assigned to you"))
        entries = query.filter(ContestEntry.id.in_(contests.assigned_entry_ids(user.id))).all()
        own = _scores([entry.id for entry in entries], user.id)
        return [
            dict(
                _entry_dict(entry, _showcase_summary(context, entry.package_id), contest.results_published),
                my_scores=own.get(entry.id, {}).get(user.id, {}),
            )
            for entry in entries
        ]
    entries = query.all()
    if roles.is_moderator(user) and not data.get("public"):
        ids = [entry.id for entry in entries]
        scores, judges = _scores(ids), _judges(ids)
        result = []
        for entry in entries:
            by_judge = scores.get(entry.id, {})
            totals = [sum(values.values()) for values in by_judge.values()]
            result.append(
                dict(
                    _entry_dict(entry, _showcase_summary(context, entry.package_id), True),
                    judges=judges.get(entry.id, []),
                    scores=by_judge,
                    mean_total=round(sum(totals) / len(totals), 2) if totals else None,
                )
            )
        return result
    published = []
    for entry in entries:
        showcase = _showcase_summary(context, entry.package_id)
        if showcase is not None and showcase.get("moderation_state") == roles.PUBLISHED:
            published.append(_entry_dict(entry, showcase, contest.results_published))
    return published


def govdata_contest_judge_assign(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Set the judges of an entry (staff). A team's own accounts cannot judge its entry.

    :param entry: the entry's id
    :param judges: user names (list or comma-separated); an empty list removes every judge
    """
    data = _validate(data_dict, schema.contest_judge_assign_schema(), context)
    entry = _entry_object(data["entry"])
    tk.check_access("govdata_contest_judge_assign", context, {"id": entry.id})
    judges = [user for user in map(model.User.get, data.get("judges") or []) if user]
    conflicted = [judge.name for judge in judges if contests.is_team_account(entry.team_id, judge.id)]
    if conflicted:
        raise tk.ValidationError({"judges": [bilingual("Members of the team cannot judge its entry: {value}", value=", ".join(conflicted))]})
    model.Session.query(ContestAssignment).filter(ContestAssignment.entry_id == entry.id).delete()
    for judge_id in dict.fromkeys(judge.id for judge in judges):
        model.Session.add(ContestAssignment(entry_id=entry.id, judge_id=judge_id))
    model.repo.commit()
    return {"entry": entry.id, "judges": sorted(judge.name for judge in judges)}


def govdata_contest_score_submit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A judge scores an assigned entry on every criterion, during the review phase.

    :param entry: the entry's id
    :param scores: ``{criterion name: whole number from 0 to the criterion's maximum}``
    :param comment: the judge's remarks (optional)
    """
    data = _validate(data_dict, schema.contest_score_submit_schema(), context)
    entry = _entry_object(data["entry"])
    contest = model.Session.get(Contest, entry.contest_id)
    assert contest is not None
    tk.check_access("govdata_contest_score_submit", context, {"entry_id": entry.id})
    if contest.results_published or not contests.is_open(contest, contests.REVIEW):
        raise _closed(contest, contests.REVIEW)
    given = data["scores"] if isinstance(data["scores"], dict) else {}
    scores: dict[str, int] = {}
    problems = []
    for criterion in contest.criteria:
        raw = given.get(criterion["name"])
        try:
            value = int(str(raw).strip())
        except (TypeError, ValueError):
            problems.append(bilingual("Give {criterion} a whole number from 0 to {max}", criterion=criterion["title"], max=criterion["max"]))
            continue
        if not 0 <= value <= criterion["max"]:
            problems.append(bilingual("Give {criterion} a whole number from 0 to {max}", criterion=criterion["title"], max=criterion["max"]))
            continue
        scores[criterion["name"]] = value
    unknown = sorted(set(given) - {criterion["name"] for criterion in contest.criteria})
    if unknown:
        problems.append(bilingual("Unknown criteria: {value}", value=", ".join(unknown)))
    if problems:
        raise tk.ValidationError({"scores": problems})
    judge = roles.user_object(context.get("auth_user_obj") or context["user"])
    assert judge is not None
    for criterion, value in scores.items():
        model.Session.merge(
            ContestScore(entry_id=entry.id, judge_id=judge.id, criterion=criterion, score=value, comment=data.get("comment") or "")
        )
    model.repo.commit()
    return {"entry": entry.id, "scores": scores, "total": sum(scores.values()), "comment": data.get("comment") or ""}


def _rank(value: Any) -> int | None:
    """A positive whole rank, or None (no rank) for anything else."""
    try:
        rank = int(str(value).strip())
    except ValueError:
        return None
    return rank if 0 < rank <= 10_000 else None


def govdata_contest_results_publish(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Publish a contest's results and awards (staff), once the review phase has begun.

    :param contest: the contest's id or name
    :param awards: ``[{"entry": id, "award": "一等奖", "rank": 1}, …]``; entries not listed get
        no award. Awarded entries must be published showcases: the public will see them.
    """
    data = _validate(data_dict, schema.contest_results_publish_schema(), context)
    contest = _contest_object(data["contest"])
    tk.check_access("govdata_contest_results_publish", context, {"id": contest.id})
    if contests.today() < contest.review_opens:
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
    model.repo.commit()
    return govdata_contest_show(dict(context), {"id": contest.id})


def entry_summary(package_id: str) -> dict[str, Any] | None:
    """What a showcase's page and API say about the contest it was entered in."""
    entry = contests.entry_of(package_id)
    if entry is None:
        return None
    contest = model.Session.get(Contest, entry.contest_id)
    if contest is None:
        return None
    summary = _entry_dict(entry, None, contest.results_published)
    summary.pop("showcase")
    return dict(summary, contest=contest.name, contest_title=contest.title)


@tk.chained_action
@tk.side_effect_free
def package_search(original_action: Action, context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Showcases are not datasets: a search that names no dataset type leaves them out.

    So API clients, the home page figures and every count built on package_search see only the
    catalogue; ``fq=dataset_type:showcase`` (what the /showcase page sends) finds showcases.
    """
    filters = [data_dict.get("q"), data_dict.get("fq"), *(data_dict.get("fq_list") or [])]
    if not any("dataset_type" in str(text) for text in filters if text):
        data_dict = dict(data_dict, fq_list=[*(data_dict.get("fq_list") or []), f"-dataset_type:{roles.SHOWCASE_TYPE}"])
    return original_action(context, data_dict)


@tk.chained_action
def dcat_dataset_show(original_action: Action, context: Context, data_dict: DataDict) -> Any:
    """Showcases are not DCAT datasets: /dataset/<showcase>.rdf is not found, like any non-dataset."""
    if roles.is_showcase(model.Package.get(data_dict.get("id") or "")):
        raise tk.ObjectNotFound(tk._("Dataset not found"))
    return original_action(context, data_dict)


def all_actions(with_dcat: bool) -> dict[str, Action]:
    actions: dict[str, Action] = {
        "govdata_showcase_create": govdata_showcase_create,
        "govdata_showcase_update": govdata_showcase_update,
        "govdata_showcase_moderate": govdata_showcase_moderate,
        "govdata_showcase_review_list": govdata_showcase_review_list,
        "govdata_showcase_list_for_package": govdata_showcase_list_for_package,
        "govdata_scenario_create": govdata_scenario_create,
        "govdata_scenario_update": govdata_scenario_update,
        "govdata_scenario_delete": govdata_scenario_delete,
        "govdata_scenario_show": govdata_scenario_show,
        "govdata_scenario_list": govdata_scenario_list,
        "govdata_contest_create": govdata_contest_create,
        "govdata_contest_update": govdata_contest_update,
        "govdata_contest_show": govdata_contest_show,
        "govdata_contest_list": govdata_contest_list,
        "govdata_contest_team_register": govdata_contest_team_register,
        "govdata_contest_team_update": govdata_contest_team_update,
        "govdata_contest_team_show": govdata_contest_team_show,
        "govdata_contest_entry_submit": govdata_contest_entry_submit,
        "govdata_contest_entry_list": govdata_contest_entry_list,
        "govdata_contest_judge_assign": govdata_contest_judge_assign,
        "govdata_contest_score_submit": govdata_contest_score_submit,
        "govdata_contest_results_publish": govdata_contest_results_publish,
        "package_search": package_search,
    }
    if with_dcat:
        actions["dcat_dataset_show"] = dcat_dataset_show
    return actions
