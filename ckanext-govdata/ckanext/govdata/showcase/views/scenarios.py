"""Open scenario pages: the list, each scenario, and the staff's form."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, send_file

from ckanext.govdata.showcase import images
from ckanext.govdata.showcase.views.common import context, summary

scenario = Blueprint("govdata_scenario", __name__, url_prefix="/scenario")

SCENARIO_FIELDS = ("name", "title", "description", "position", "packages")


def _scenario_or_abort(reference: str) -> dict[str, Any]:
    try:
        return tk.get_action("govdata_scenario_show")(context(), {"id": reference})
    except tk.ObjectNotFound:
        return tk.abort(404, tk._("Scenario not found"))


def _render_scenario_form(data: dict[str, Any], errors: dict[str, Any], scenario_dict: dict[str, Any] | None) -> str:
    return tk.render(
        "scenario/form.html",
        extra_vars={
            "data": data,
            "errors": errors,
            "error_summary": summary(errors),
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
    scenarios = tk.get_action("govdata_scenario_list")(context(), {})
    return tk.render("scenario/list.html", extra_vars={"scenarios": scenarios})


@scenario.route("/new", methods=["GET", "POST"])
def scenario_new() -> Any:
    try:
        tk.check_access("govdata_scenario_create", context(), {})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the bureau's staff may do this"))
    if tk.request.method == "GET":
        return _render_scenario_form({}, {}, None)
    data = _scenario_form_data()
    try:
        created = tk.get_action("govdata_scenario_create")(context(), dict(data, image_upload=tk.request.files.get("image_upload")))
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
        tk.check_access("govdata_scenario_update", context(), {"id": current["id"]})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("Only the bureau's staff may do this"))
    if tk.request.method == "GET":
        data = dict(current, packages=[package["name"] for package in current["packages"]])
        return _render_scenario_form(data, {}, current)
    data = _scenario_form_data()
    try:
        if tk.request.form.get("delete"):
            tk.get_action("govdata_scenario_delete")(context(), {"id": current["id"]})
            return tk.redirect_to("govdata_scenario.scenario_list")
        updated = tk.get_action("govdata_scenario_update")(
            context(), dict(data, id=current["id"], image_upload=tk.request.files.get("image_upload"))
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
