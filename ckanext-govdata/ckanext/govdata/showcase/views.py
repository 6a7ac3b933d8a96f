"""Pages of the showcase plugin. Thin: they call the actions and render what comes back.

CKAN serves the showcase list (/showcase) and each showcase's page (/showcase/<id>) as for any
scheming type; the pages here add submission with screenshots, editing and moderation.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, send_file
from werkzeug.datastructures import MultiDict

from ckanext.govdata.showcase import contests, images, roles, rules_documents

showcase = Blueprint("govdata_showcase", __name__)

# Fields of the submission form, as the showcase schema names them.
FORM_FIELDS = ("title", "name", "notes", "category", "url", "author", "datasets", "release_date", "tag_string")


def _context() -> dict[str, Any]:
    return {"user": tk.current_user.name, "auth_user_obj": tk.current_user}


def _form_data(form: MultiDict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {field: form.get(field, "") for field in FORM_FIELDS if field in form}
    if "datasets" in form:
        data["datasets"] = [name for value in form.getlist("datasets") for name in value.replace("，", ",").split(",") if name.strip()]
    return data


def _summary(errors: dict[str, Any]) -> dict[str, str]:
    return {key: "; ".join(map(str, value)) if isinstance(value, list) else str(value) for key, value in errors.items()}


def _render_form(
    data: dict[str, Any], errors: dict[str, Any], showcase_dict: dict[str, Any] | None = None, **extra: Any
) -> str:
    return tk.render(
        "showcase/form.html",
        extra_vars={"data": data, "errors": errors, "error_summary": _summary(errors), "showcase": showcase_dict, **extra},
    )


@showcase.route("/showcase/submit", methods=["GET", "POST"])
def submit() -> Any:
    try:
        tk.check_access("govdata_showcase_create", _context(), {})
    except tk.NotAuthorized:
        return tk.redirect_to("user.login", came_from=tk.url_for("govdata_showcase.submit"))
    if tk.request.method == "GET":
        return _render_form({"datasets": tk.request.args.getlist("dataset")}, {})
    data = _form_data(tk.request.form)
    try:
        created = tk.get_action("govdata_showcase_create")(
            _context(), dict(data, screenshot_upload=tk.request.files.getlist("screenshot_upload"))
        )
    except tk.ValidationError as error:
        return _render_form(data, error.error_dict)
    tk.h.flash_success(tk._("Thank you. Your showcase is awaiting moderation."))
    return tk.redirect_to("showcase.read", id=created["name"])


def _showcase_or_abort(reference: str) -> dict[str, Any]:
    try:
        return tk.get_action("package_show")(_context(), {"id": reference})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Showcase not found"))


@showcase.route("/showcase/<id>/revise", methods=["GET", "POST"])
def revise(id: str) -> Any:
    current = _showcase_or_abort(id)
    if current["type"] != roles.SHOWCASE_TYPE:
        return tk.abort(404, tk._("Showcase not found"))
    try:
        tk.check_access("govdata_showcase_update", _context(), {"id": current["id"]})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You may not edit this showcase"))
    if tk.request.method == "GET":
        data = {field: current.get(field) for field in FORM_FIELDS}
        data["datasets"] = [package["name"] for package in tk.h.govdata_showcase_packages(current)]
        data["tag_string"] = ", ".join(tag["name"] for tag in current.get("tags", []))
        return _render_form(data, {}, current)
    data = _form_data(tk.request.form)
    try:
        updated = tk.get_action("govdata_showcase_update")(
            _context(),
            dict(
                data,
                id=current["id"],
                screenshot_upload=tk.request.files.getlist("screenshot_upload"),
                screenshot_remove=tk.request.form.getlist("screenshot_remove"),
            ),
        )
    except tk.ValidationError as error:
        return _render_form(data, error.error_dict, current)
    if updated.get("moderation_state") == roles.PENDING:
        tk.h.flash_success(tk._("Your changes are saved and the showcase is awaiting moderation."))
    return tk.redirect_to("showcase.read", id=updated["name"])


@showcase.route("/showcase/<id>/moderate", methods=["POST"])
def moderate(id: str) -> Any:
    current = _showcase_or_abort(id)
    try:
        tk.get_action("govdata_showcase_moderate")(
            _context(),
            {"id": current["id"], "decision": tk.request.form.get("decision", ""), "comment": tk.request.form.get("comment", "")},
        )
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only moderators may moderate showcases"))
    except tk.ValidationError as error:
        for messages in error.error_dict.values():
            tk.h.flash_error("; ".join(map(str, messages)))
        return tk.redirect_to("showcase.read", id=current["name"])
    tk.h.flash_success(tk._("Decision recorded: {state}").format(state=tk.h.govdata_showcase_state_label(tk.request.form.get("decision"))))
    return tk.redirect_to("govdata_showcase.moderation")


@showcase.route("/showcase/moderation")
def moderation() -> Any:
    if not roles.is_moderator(tk.current_user):
        return tk.abort(403, tk._("Only moderators may moderate showcases"))
    state = tk.request.args.get("state", roles.PENDING)
    if state not in roles.MODERATION_STATES:
        state = roles.PENDING
    result = tk.get_action("package_search")(
        _context(),
        {
            "fq": f"+dataset_type:{roles.SHOWCASE_TYPE} +moderation_state:{state}",
            "sort": "metadata_modified asc",
            "rows": 100,
            "include_private": True,
        },
    )
    return tk.render("showcase/moderation.html", extra_vars={"state": state, "showcases": result["results"], "count": result["count"]})


@showcase.route("/showcase/<id>/image/<file_name>")
def screenshot(id: str, file_name: str) -> Response:
    """A screenshot or its thumbnail, for whoever may see the showcase."""
    current = _showcase_or_abort(id)
    names = {name for shot in current.get("screenshots") or [] for name in (shot.get("file"), shot.get("thumbnail"))}
    full = images.open(file_name) if file_name in names else None
    if full is None:
        return tk.abort(404, tk._("Image not found"))
    response = send_file(full, mimetype=images.media_type(file_name), max_age=3600)
    if current.get("moderation_state") != roles.PUBLISHED:
        response.headers["Cache-Control"] = "private, no-store"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


scenario = Blueprint("govdata_scenario", __name__, url_prefix="/scenario")

SCENARIO_FIELDS = ("name", "title", "description", "position", "packages")


def _scenario_or_abort(reference: str) -> dict[str, Any]:
    try:
        return tk.get_action("govdata_scenario_show")(_context(), {"id": reference})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Scenario not found"))


def _render_scenario_form(data: dict[str, Any], errors: dict[str, Any], scenario_dict: dict[str, Any] | None) -> str:
    return tk.render(
        "scenario/form.html",
        extra_vars={
            "data": data,
            "errors": errors,
            "error_summary": _summary(errors),
            "scenario": scenario_dict,
        },
    )


def _scenario_form_data() -> dict[str, Any]:
    form = tk.request.form
    data = {field: form.get(field, "") for field in SCENARIO_FIELDS if field in form}
    if "packages" in data:
        # One name per line or comma-separated, as curators paste them.
        data["packages"] = [name.strip() for name in data["packages"].replace("，", ",").replace("\n", ",").split(",") if name.strip()]
    if form.get("remove_image"):
        data["remove_image"] = True
    return data


@scenario.route("/")
def scenario_list() -> str:
    scenarios = tk.get_action("govdata_scenario_list")(_context(), {})
    return tk.render("scenario/list.html", extra_vars={"scenarios": scenarios})


@scenario.route("/new", methods=["GET", "POST"])
def scenario_new() -> Any:
    try:
        tk.check_access("govdata_scenario_create", _context(), {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the bureau's staff may do this"))
    if tk.request.method == "GET":
        return _render_scenario_form({}, {}, None)
    data = _scenario_form_data()
    try:
        created = tk.get_action("govdata_scenario_create")(_context(), dict(data, image_upload=tk.request.files.get("image_upload")))
    except tk.ValidationError as error:
        return _render_scenario_form(data, error.error_dict, None)
    return tk.redirect_to("govdata_scenario.scenario_read", name=created["name"])


@scenario.route("/<name>")
def scenario_read(name: str) -> str:
    return tk.render("scenario/read.html", extra_vars={"scenario": _scenario_or_abort(name)})


@scenario.route("/<name>/edit", methods=["GET", "POST"])
def scenario_edit(name: str) -> Any:
    current = _scenario_or_abort(name)
    try:
        tk.check_access("govdata_scenario_update", _context(), {"id": current["id"]})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the bureau's staff may do this"))
    if tk.request.method == "GET":
        data = dict(current, packages=[package["name"] for package in current["packages"]])
        return _render_scenario_form(data, {}, current)
    data = _scenario_form_data()
    try:
        if tk.request.form.get("delete"):
            tk.get_action("govdata_scenario_delete")(_context(), {"id": current["id"]})
            return tk.redirect_to("govdata_scenario.scenario_list")
        updated = tk.get_action("govdata_scenario_update")(
            _context(), dict(data, id=current["id"], image_upload=tk.request.files.get("image_upload"))
        )
    except tk.ValidationError as error:
        return _render_scenario_form(data, error.error_dict, current)
    return tk.redirect_to("govdata_scenario.scenario_read", name=updated["name"])


@scenario.route("/<name>/image/<file_name>")
def scenario_image(name: str, file_name: str) -> Response:
    current = _scenario_or_abort(name)
    image = current.get("image") or {}
    full = images.open(file_name) if file_name in (image.get("file"), image.get("thumbnail")) else None
    if full is None:
        return tk.abort(404, tk._("Image not found"))
    response = send_file(full, mimetype=images.media_type(file_name), max_age=3600)
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


contest = Blueprint("govdata_contest", __name__, url_prefix="/contest")

CONTEST_FIELDS = ("name", "title", "year", "description", "rules_url", "tracks", "criteria", "packages", *contests.DATE_FIELDS)


def _contest_or_abort(reference: str) -> dict[str, Any]:
    try:
        return tk.get_action("govdata_contest_show")(_context(), {"id": reference})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Contest not found"))


def _contest_form_data() -> dict[str, Any]:
    form = tk.request.form
    data = {field: form.get(field, "") for field in CONTEST_FIELDS if field in form}
    if "packages" in data:
        data["packages"] = [name.strip() for name in data["packages"].replace("，", ",").replace("\n", ",").split(",") if name.strip()]
    return data


def _contest_files() -> dict[str, Any]:
    """The rules document of the contest form (not kept in ``data``: a form shown again cannot hold it)."""
    return {"rules_upload": tk.request.files.get("rules_upload"), "remove_rules": tk.request.form.get("remove_rules", "")}


def _render_contest_form(data: dict[str, Any], errors: dict[str, Any], contest_dict: dict[str, Any] | None) -> str:
    return tk.render(
        "contest/form.html",
        extra_vars={"data": data, "errors": errors, "error_summary": _summary(errors), "contest": contest_dict},
    )


@contest.route("/")
def contest_list() -> str:
    return tk.render("contest/list.html", extra_vars={"contests": tk.get_action("govdata_contest_list")(_context(), {})})


@contest.route("/new", methods=["GET", "POST"])
def contest_new() -> Any:
    try:
        tk.check_access("govdata_contest_create", _context(), {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the bureau's staff may do this"))
    if tk.request.method == "GET":
        return _render_contest_form({}, {}, None)
    data = _contest_form_data()
    try:
        created = tk.get_action("govdata_contest_create")(_context(), dict(data, **_contest_files()))
    except tk.ValidationError as error:
        return _render_contest_form(data, error.error_dict, None)
    return tk.redirect_to("govdata_contest.contest_read", name=created["name"])


@contest.route("/<name>")
def contest_read(name: str) -> str:
    return tk.render("contest/read.html", extra_vars={"contest": _contest_or_abort(name)})


@contest.route("/<name>/rules")
def rules(name: str) -> Response:
    """The contest's rules document, under the name it was uploaded with."""
    current = _contest_or_abort(name)
    contest_object = contests.contest_object(current["id"])
    document = contest_object.rules_document if contest_object else None
    if not document:
        return tk.abort(404, tk._("This contest has no rules document"))
    response = send_file(
        rules_documents.open(contest_object.id, document) or tk.abort(404, tk._("This contest has no rules document")),
        mimetype=document["mimetype"],
        download_name=document["name"],
        as_attachment=document["extension"] != "pdf",
        max_age=3600,
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@contest.route("/<name>/edit", methods=["GET", "POST"])
def contest_edit(name: str) -> Any:
    current = _contest_or_abort(name)
    try:
        tk.check_access("govdata_contest_update", _context(), {"id": current["id"]})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the bureau's staff may do this"))
    if tk.request.method == "GET":
        data = dict(
            current,
            tracks="\n".join(f"{track['name']}|{track['title']}|{track['description']}".rstrip("|") for track in current["tracks"]),
            criteria="\n".join(f"{item['name']}|{item['title']}|{item['max']}" for item in current["criteria"]),
            packages=[package["name"] for package in current["offered_packages"]],
        )
        return _render_contest_form(data, {}, current)
    data = _contest_form_data()
    try:
        updated = tk.get_action("govdata_contest_update")(_context(), dict(data, id=current["id"], **_contest_files()))
    except tk.ValidationError as error:
        return _render_contest_form(data, error.error_dict, current)
    return tk.redirect_to("govdata_contest.contest_read", name=updated["name"])


@contest.route("/<name>/register", methods=["GET", "POST"])
def team_register(name: str) -> Any:
    current = _contest_or_abort(name)
    try:
        tk.check_access("govdata_contest_team_register", _context(), {})
    except tk.NotAuthorized:
        return tk.redirect_to("user.login", came_from=tk.url_for("govdata_contest.team_register", name=name))
    data: dict[str, Any] = {"members": tk.current_user.display_name}
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        form = tk.request.form
        data = {field: form.get(field, "") for field in ("name", "organisation", "track", "members", "accounts")}
        try:
            team = tk.get_action("govdata_contest_team_register")(_context(), dict(data, contest=current["id"]))
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("Your team is registered."))
            return tk.redirect_to("govdata_contest.team_read", name=name, team_id=team["id"])
    return tk.render(
        "contest/register.html",
        extra_vars={"contest": current, "data": data, "errors": errors, "error_summary": _summary(errors)},
    )


def _team_or_abort(team_id: str) -> dict[str, Any]:
    try:
        return tk.get_action("govdata_contest_team_show")(_context(), {"id": team_id})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Team not found"))


@contest.route("/<name>/team/<team_id>")
def team_read(name: str, team_id: str) -> str:
    return tk.render("contest/team.html", extra_vars={"contest": _contest_or_abort(name), "team": _team_or_abort(team_id)})


@contest.route("/<name>/team/<team_id>/edit", methods=["GET", "POST"])
def team_edit(name: str, team_id: str) -> Any:
    current = _contest_or_abort(name)
    team = _team_or_abort(team_id)
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.url_for("govdata_contest.team_edit", name=name, team_id=team_id))
    try:
        tk.check_access("govdata_contest_team_update", _context(), {"id": team_id})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the team's members may change it"))
    accounts = [account for account in team.get("accounts", []) if account != team.get("leader")]
    data: dict[str, Any] = {
        "name": team["name"], "organisation": team["organisation"], "track": team["track"],
        "members": ", ".join(team["members"]), "accounts": ", ".join(accounts),
    }
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        form = tk.request.form
        data = {field: form.get(field, "") for field in ("name", "organisation", "track", "members", "accounts") if field in form}
        try:
            tk.get_action("govdata_contest_team_update")(_context(), dict(data, id=team_id))
        except tk.NotAuthorized as refused:
            return tk.abort(403, str(refused) or tk._("Only the team's members may change it"))
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("Team saved."))
            return tk.redirect_to("govdata_contest.team_read", name=name, team_id=team_id)
    return tk.render(
        "contest/register.html",
        extra_vars={"contest": current, "team": team, "data": data, "errors": errors, "error_summary": _summary(errors)},
    )


@contest.route("/<name>/team/<team_id>/entry", methods=["GET", "POST"])
def entry_submit(name: str, team_id: str) -> Any:
    current = _contest_or_abort(name)
    team = _team_or_abort(team_id)
    if not team.get("is_member"):
        return tk.abort(403, tk._("Only the team's members may submit its entries"))
    extra = {
        "form_action": tk.url_for("govdata_contest.entry_submit", name=name, team_id=team_id),
        "heading": tk._("Submit an entry for {team}").format(team=team["name"]),
        "contest": current,
    }
    if tk.request.method == "GET":
        return _render_form({"author": team["name"]}, {}, None, **extra)
    data = _form_data(tk.request.form)
    try:
        tk.get_action("govdata_contest_entry_submit")(
            _context(), dict(data, team=team_id, screenshot_upload=tk.request.files.getlist("screenshot_upload"))
        )
    except tk.ValidationError as error:
        return _render_form(data, error.error_dict, None, **extra)
    tk.h.flash_success(tk._("Your entry is submitted. It is public once a moderator has checked it."))
    return tk.redirect_to("govdata_contest.team_read", name=name, team_id=team_id)


@contest.route("/<name>/judging", methods=["GET", "POST"])
def judging(name: str) -> Any:
    current = _contest_or_abort(name)
    if not tk.current_user.is_authenticated:
        return tk.redirect_to("user.login", came_from=tk.url_for("govdata_contest.judging", name=name))
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        entry_id = tk.request.form.get("entry", "")
        scores = {item["name"]: tk.request.form.get(f"score-{item['name']}", "") for item in current["criteria"]}
        try:
            tk.get_action("govdata_contest_score_submit")(
                _context(), {"entry": entry_id, "scores": scores, "comment": tk.request.form.get("comment", "")}
            )
        except tk.NotAuthorized:
            return tk.abort(403, tk._("You are not a judge of this entry"))
        except tk.ValidationError as error:
            errors = {entry_id: error.error_dict}
        else:
            tk.h.flash_success(tk._("Scores saved."))
            return tk.redirect_to("govdata_contest.judging", name=name)
    entries = tk.get_action("govdata_contest_entry_list")(_context(), {"contest": current["id"], "assigned": True})
    return tk.render("contest/judging.html", extra_vars={"contest": current, "entries": entries, "errors": errors})


@contest.route("/<name>/manage", methods=["GET", "POST"])
def manage(name: str) -> Any:
    current = _contest_or_abort(name)
    try:
        tk.check_access("govdata_contest_update", _context(), {"id": current["id"]})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the bureau's staff may do this"))
    errors: dict[str, Any] = {}
    form = tk.request.form
    if tk.request.method == "POST":
        try:
            if form.get("entry"):
                tk.get_action("govdata_contest_judge_assign")(_context(), {"entry": form["entry"], "judges": form.get("judges", "")})
                tk.h.flash_success(tk._("Judges assigned."))
            else:
                awards = [
                    {"entry": key[len("award-"):], "award": value, "rank": form.get("rank-" + key[len("award-"):], "")}
                    for key, value in form.items()
                    if key.startswith("award-") and value.strip()
                ]
                tk.get_action("govdata_contest_results_publish")(_context(), {"contest": current["id"], "awards": awards})
                tk.h.flash_success(tk._("Results published."))
                return tk.redirect_to("govdata_contest.contest_read", name=name)
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            return tk.redirect_to("govdata_contest.manage", name=name)
    entries = tk.get_action("govdata_contest_entry_list")(_context(), {"contest": current["id"]})
    entries.sort(key=lambda entry: -(entry["mean_total"] or 0))
    return tk.render(
        "contest/manage.html", extra_vars={"contest": current, "entries": entries, "errors": errors, "error_summary": _summary(errors)}
    )


def blueprints() -> list[Blueprint]:
    return [showcase, scenario, contest]
