"""Template helpers of the showcase plugin."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckanext.scheming.helpers import scheming_choices_label, scheming_field_by_name, scheming_get_dataset_schema

from ckanext.govdata import settings
from ckanext.govdata.showcase import roles, workflow


def _field_choices(field_name: str) -> list[dict[str, Any]]:
    schema = scheming_get_dataset_schema(roles.SHOWCASE_TYPE) or {}
    field = scheming_field_by_name(schema.get("dataset_fields", []), field_name) or {}
    return field.get("choices", [])


def govdata_showcase_category_label(value: str | None) -> str:
    return scheming_choices_label(_field_choices("category"), value) if value else ""


def govdata_showcase_categories() -> list[dict[str, Any]]:
    """Options of the category select: ``value`` and ``text``."""
    return [{"value": choice["value"], "text": govdata_showcase_category_label(choice["value"])} for choice in _field_choices("category")]


def govdata_showcase_image_limits() -> dict[str, int]:
    showcase = settings.current().showcase
    return {"max_bytes": showcase.image_max_bytes, "min_width": showcase.image_min_width, "min_height": showcase.image_min_height}


def govdata_showcase_state_label(state: str | None) -> str:
    labels = {
        roles.PENDING: tk._("Awaiting moderation"),
        roles.PUBLISHED: tk._("Published"),
        roles.RETURNED: tk._("Returned for changes"),
        roles.REJECTED: tk._("Rejected"),
    }
    return labels.get(state or roles.PENDING, state or "")


def govdata_showcase_allowed_operations(showcase: dict[str, Any]) -> list[str]:
    """What the current user may do with the showcase now (see ``workflow``)."""
    package = model.Package.get(showcase.get("id") or "")
    return workflow.allowed_operations(package, tk.current_user) if roles.is_showcase(package) else []


def govdata_showcase_is_moderator() -> bool:
    return roles.is_moderator(tk.current_user)


def govdata_showcases_using(package_id: str) -> list[dict[str, Any]]:
    try:
        return tk.get_action("govdata_showcase_list_for_package")({}, {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return []


def govdata_showcase_packages(showcase: dict[str, Any]) -> list[dict[str, Any]]:
    """The datasets and APIs a showcase uses that the viewer may see, in the showcase's order."""
    found = []
    for package_id in showcase.get("datasets") or []:
        try:
            found.append(tk.get_action("package_show")({}, {"id": package_id}))
        except (tk.NotAuthorized, tk.ObjectNotFound):
            continue
    return found


def govdata_showcase_reviews(showcase_id: str) -> list[dict[str, Any]]:
    try:
        return tk.get_action("govdata_showcase_review_list")({}, {"id": showcase_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return []


def govdata_showcase_image_url(showcase: dict[str, Any], file_name: str) -> str:
    return tk.url_for("govdata_showcase.screenshot", id=showcase["name"], file_name=file_name)


def govdata_scenario_image_url(scenario: dict[str, Any], file_name: str) -> str:
    return tk.url_for("govdata_scenario.scenario_image", name=scenario["name"], file_name=file_name)


def govdata_contest_phase_label(phase: str) -> str:
    labels = {
        "upcoming": tk._("Opening soon"),
        "registration": tk._("Registration"),
        "submission": tk._("Submission"),
        "review": tk._("Review"),
        "results": tk._("Results"),
    }
    return labels.get(phase, phase)


def govdata_contest_track_options(contest: dict[str, Any]) -> list[dict[str, str]]:
    return [{"value": track["name"], "text": track["title"]} for track in contest.get("tracks", [])]


@tk.chained_helper
def humanize_entity_type(next_helper: Any, entity_type: str, object_type: str, purpose: str) -> str | None:
    """Names CKAN's generic pages for showcases give them ("Showcases", "Submit a showcase" …)."""
    if (entity_type, object_type) != ("package", roles.SHOWCASE_TYPE):
        return next_helper(entity_type, object_type, purpose)
    plural = tk._("Showcases")
    names = {
        "add link": tk._("Submit a showcase"),
        "breadcrumb": plural,
        "content tab": plural,
        "facet label": plural,
        "main nav": plural,
        "page title": plural,
        "my label": tk._("My showcases"),
        "search placeholder": tk._("Search showcases..."),
        "no any objects": tk._("No showcases yet"),
        "edit label": tk._("Edit showcase"),
    }
    return names.get(purpose, tk._("Showcase"))


def all_helpers() -> dict[str, Any]:
    return {
        "govdata_showcase_category_label": govdata_showcase_category_label,
        "govdata_showcase_categories": govdata_showcase_categories,
        "govdata_showcase_image_limits": govdata_showcase_image_limits,
        "govdata_showcase_state_label": govdata_showcase_state_label,
        "govdata_showcase_is_moderator": govdata_showcase_is_moderator,
        "govdata_showcase_allowed_operations": govdata_showcase_allowed_operations,
        "govdata_showcases_using": govdata_showcases_using,
        "govdata_showcase_packages": govdata_showcase_packages,
        "govdata_showcase_reviews": govdata_showcase_reviews,
        "govdata_showcase_image_url": govdata_showcase_image_url,
        "govdata_scenario_image_url": govdata_scenario_image_url,
        "govdata_contest_phase_label": govdata_contest_phase_label,
        "govdata_contest_track_options": govdata_contest_track_options,
        "humanize_entity_type": humanize_entity_type,
    }
