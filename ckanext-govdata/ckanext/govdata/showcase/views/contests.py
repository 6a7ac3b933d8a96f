"""Contest pages: the contest, registration and teams, entries, judging and results."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, send_file

from ckanext.govdata.showcase import contests, rules_documents
from ckanext.govdata.showcase.views.common import context, form_data, render_form, summary

contest = Blueprint("govdata_contest", __name__, url_prefix="/contest")

CONTEST_FIELDS = ("name", "title", "year", "description", "rules_url", "tracks", "criteria", "packages", *contests.DATE_FIELDS)


def _contest_or_abort(reference: str) -> dict[str, Any]:
    try:
        return tk.get_action("govdata_contest_show")(context(), {"id": reference})
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
        extra_vars={"data": data, "errors": errors, "error_summary": summary(errors), "contest": contest_dict},
    )


@contest.route("/")
def contest_list() -> str:
    return tk.render("contest/list.html", extra_vars={"contests": tk.get_action("govdata_contest_list")(context(), {})})


@contest.route("/new", methods=["GET", "POST"])
def contest_new() -> Any:
    try:
        tk.check_access("govdata_contest_create", context(), {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the bureau's staff may do this"))
    if tk.request.method == "GET":
        return _render_contest_form({}, {}, None)
    data = _contest_form_data()
    try:
        created = tk.get_action("govdata_contest_create")(context(), dict(data, **_contest_files()))
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
    if contest_object is None or not document:
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
        tk.check_access("govdata_contest_update", context(), {"id": current["id"]})
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
        updated = tk.get_action("govdata_contest_update")(context(), dict(data, id=current["id"], **_contest_files()))
    except tk.ValidationError as error:
        return _render_contest_form(data, error.error_dict, current)
    return tk.redirect_to("govdata_contest.contest_read", name=updated["name"])


@contest.route("/<name>/register", methods=["GET", "POST"])
def team_register(name: str) -> Any:
    current = _contest_or_abort(name)
    try:
        tk.check_access("govdata_contest_team_register", context(), {})
    except tk.NotAuthorized:
        return tk.redirect_to("user.login", came_from=tk.url_for("govdata_contest.team_register", name=name))
    data: dict[str, Any] = {"members": tk.current_user.display_name}
    errors: dict[str, Any] = {}
    if tk.request.method == "POST":
        form = tk.request.form
        data = {field: form.get(field, "") for field in ("name", "organisation", "track", "members", "accounts")}
        try:
            team = tk.get_action("govdata_contest_team_register")(context(), dict(data, contest=current["id"]))
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("Your team is registered."))
            return tk.redirect_to("govdata_contest.team_read", name=name, team_id=team["id"])
    return tk.render(
        "contest/register.html",
        extra_vars={"contest": current, "data": data, "errors": errors, "error_summary": summary(errors)},
    )


def _team_or_abort(team_id: str) -> dict[str, Any]:
    try:
        return tk.get_action("govdata_contest_team_show")(context(), {"id": team_id})
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
        tk.check_access("govdata_contest_team_update", context(), {"id": team_id})
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
            tk.get_action("govdata_contest_team_update")(context(), dict(data, id=team_id))
        except tk.NotAuthorized as refused:
            return tk.abort(403, str(refused) or tk._("Only the team's members may change it"))
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            tk.h.flash_success(tk._("Team saved."))
            return tk.redirect_to("govdata_contest.team_read", name=name, team_id=team_id)
    return tk.render(
        "contest/register.html",
        extra_vars={"contest": current, "team": team, "data": data, "errors": errors, "error_summary": summary(errors)},
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
        return render_form({"author": team["name"]}, {}, None, **extra)
    data = form_data(tk.request.form)
    try:
        tk.get_action("govdata_contest_entry_submit")(
            context(), dict(data, team=team_id, screenshot_upload=tk.request.files.getlist("screenshot_upload"))
        )
    except tk.ValidationError as error:
        return render_form(data, error.error_dict, None, **extra)
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
                context(), {"entry": entry_id, "scores": scores, "comment": tk.request.form.get("comment", "")}
            )
        except tk.NotAuthorized:
            return tk.abort(403, tk._("You are not a judge of this entry"))
        except tk.ValidationError as error:
            errors = {entry_id: error.error_dict}
        else:
            tk.h.flash_success(tk._("Scores saved."))
            return tk.redirect_to("govdata_contest.judging", name=name)
    entries = tk.get_action("govdata_contest_entry_list")(context(), {"contest": current["id"], "assigned": True})
    return tk.render("contest/judging.html", extra_vars={"contest": current, "entries": entries, "errors": errors})


@contest.route("/<name>/manage", methods=["GET", "POST"])
def manage(name: str) -> Any:
    current = _contest_or_abort(name)
    try:
        tk.check_access("govdata_contest_update", context(), {"id": current["id"]})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the bureau's staff may do this"))
    errors: dict[str, Any] = {}
    form = tk.request.form
    if tk.request.method == "POST":
        try:
            if form.get("entry"):
                tk.get_action("govdata_contest_judge_assign")(context(), {"entry": form["entry"], "judges": form.get("judges", "")})
                tk.h.flash_success(tk._("Judges assigned."))
            else:
                awards = [
                    {"entry": key[len("award-"):], "award": value, "rank": form.get("rank-" + key[len("award-"):], "")}
                    for key, value in form.items()
                    if key.startswith("award-") and value.strip()
                ]
                tk.get_action("govdata_contest_results_publish")(context(), {"contest": current["id"], "awards": awards})
                tk.h.flash_success(tk._("Results published."))
                return tk.redirect_to("govdata_contest.contest_read", name=name)
        except tk.ValidationError as error:
            errors = error.error_dict
        else:
            return tk.redirect_to("govdata_contest.manage", name=name)
    entries = tk.get_action("govdata_contest_entry_list")(context(), {"contest": current["id"]})
    entries.sort(key=lambda entry: -(entry["mean_total"] or 0))
    return tk.render(
        "contest/manage.html", extra_vars={"contest": current, "entries": entries, "errors": errors, "error_summary": summary(errors)}
    )
