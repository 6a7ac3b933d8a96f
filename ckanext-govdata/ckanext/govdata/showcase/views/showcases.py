"""Showcase pages: submission with screenshots, revision, moderation and the screenshots themselves.

CKAN serves the showcase list (/showcase) and each showcase's page (/showcase/<id>) as for any
scheming type; the pages here add submission with screenshots, editing and moderation.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from flask import Blueprint, Response, send_file

from ckanext.govdata.showcase import images, roles
from ckanext.govdata.showcase.views.common import FORM_FIELDS, context, form_data, render_form

showcase = Blueprint("govdata_showcase", __name__)

@showcase.route("/showcase/submit", methods=["GET", "POST"])
def submit() -> Any:
    try:
        tk.check_access("govdata_showcase_create", context(), {})
    except tk.NotAuthorized:
        return tk.redirect_to("user.login", came_from=tk.url_for("govdata_showcase.submit"))
    if tk.request.method == "GET":
        return render_form({"datasets": tk.request.args.getlist("dataset")}, {})
    data = form_data(tk.request.form)
    try:
        created = tk.get_action("govdata_showcase_create")(
            context(), dict(data, screenshot_upload=tk.request.files.getlist("screenshot_upload"))
        )
    except tk.ValidationError as error:
        return render_form(data, error.error_dict)
    tk.h.flash_success(tk._("Thank you. Your showcase is awaiting moderation."))
    return tk.redirect_to("showcase.read", id=created["name"])


def _showcase_or_abort(reference: str) -> dict[str, Any]:
    try:
        return tk.get_action("package_show")(context(), {"id": reference})
    except (tk.ObjectNotFound, tk.NotAuthorized):
        return tk.abort(404, tk._("Showcase not found"))


@showcase.route("/showcase/<id>/revise", methods=["GET", "POST"])
def revise(id: str) -> Any:
    current = _showcase_or_abort(id)
    if current["type"] != roles.SHOWCASE_TYPE:
        return tk.abort(404, tk._("Showcase not found"))
    try:
        tk.check_access("govdata_showcase_update", context(), {"id": current["id"]})
    except tk.NotAuthorized:
        return tk.abort(403, tk._("You may not edit this showcase"))
    if tk.request.method == "GET":
        data = {field: current.get(field) for field in FORM_FIELDS}
        data["datasets"] = [package["name"] for package in tk.h.govdata_showcase_packages(current)]
        data["tag_string"] = ", ".join(tag["name"] for tag in current.get("tags", []))
        return render_form(data, {}, current)
    data = form_data(tk.request.form)
    try:
        updated = tk.get_action("govdata_showcase_update")(
            context(),
            dict(
                data,
                id=current["id"],
                screenshot_upload=tk.request.files.getlist("screenshot_upload"),
                screenshot_remove=tk.request.form.getlist("screenshot_remove"),
            ),
        )
    except tk.ValidationError as error:
        return render_form(data, error.error_dict, current)
    if updated.get("moderation_state") == roles.PENDING:
        tk.h.flash_success(tk._("Your changes are saved and the showcase is awaiting moderation."))
    return tk.redirect_to("showcase.read", id=updated["name"])


@showcase.route("/showcase/<id>/moderate", methods=["POST"])
def moderate(id: str) -> Any:
    current = _showcase_or_abort(id)
    try:
        tk.get_action("govdata_showcase_moderate")(
            context(),
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
        context(),
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
