"""Actions on open scenarios (开放场景): datasets and APIs curated around one use."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata.action_steps import atomic, finish, validate
from ckanext.govdata.messages import bilingual
from ckanext.govdata.showcase import dictization, images, queries
from ckanext.govdata.showcase.logic import schema
from ckanext.govdata.showcase.logic.common import scenario_object
from ckanext.govdata.showcase.model import Scenario, ScenarioPackage

IMAGE_FIELD = "image_upload"


def _name_taken(name: str, own_id: str | None = None) -> bool:
    query = model.Session.query(Scenario.id).filter(Scenario.name == name)
    if own_id:
        query = query.filter(Scenario.id != own_id)
    return model.Session.query(query.exists()).scalar()


def _check_name_free(name: str, own_id: str | None = None) -> None:
    if _name_taken(name, own_id):
        raise tk.ValidationError({"name": [bilingual("This URL name is already used: {value}", value=name)]})


def _stored_image(data_dict: DataDict) -> dict[str, Any] | None:
    uploads = images.uploads(data_dict.get(IMAGE_FIELD))
    if not uploads:
        return None
    try:
        return images.store(uploads[0]).as_dict()
    except images.ImageRejected as rejected:
        raise tk.ValidationError({IMAGE_FIELD: [str(rejected)]}) from None


def _set_packages(scenario: Scenario, package_ids: list[str]) -> None:
    model.Session.query(ScenarioPackage).filter(ScenarioPackage.scenario_id == scenario.id).delete()
    for position, package_id in enumerate(package_ids):
        model.Session.add(ScenarioPackage(scenario_id=scenario.id, package_id=package_id, position=position))


@atomic
def govdata_scenario_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Create an open scenario (staff).

    :param name: URL name; :param title: title; :param description: description (Markdown)
    :param packages: datasets and APIs in display order (names or ids; list or comma-separated)
    :param position: place on the scenarios page (lower first)
    :param image_upload: picture (PNG, JPEG or WebP)
    """
    data = validate(data_dict, schema.scenario_create_schema(), context)
    _check_name_free(data["name"])
    tk.check_access("govdata_scenario_create", context, data_dict)
    image = _stored_image(data_dict)
    scenario = Scenario(
        name=data["name"],
        title=data["title"],
        description=data.get("description") or "",
        position=data.get("position") or 0,
        image=image,
    )
    try:
        model.Session.add(scenario)
        model.Session.flush()
        _set_packages(scenario, data.get("packages") or [])
        finish(context)
    except Exception:
        if image:
            images.delete(image)
        raise
    return govdata_scenario_show(dict(context), {"id": scenario.id})


@atomic
def govdata_scenario_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a scenario (staff); fields not given keep their value.

    :param id: the scenario's id or name
    :param packages: when given, the whole ordered list of datasets and APIs
    :param image_upload: a new picture; :param remove_image: drop the picture
    """
    data = validate(data_dict, schema.scenario_update_schema(), context)
    scenario = scenario_object(data["id"])
    if data.get("name"):
        _check_name_free(data["name"], scenario.id)
    tk.check_access("govdata_scenario_update", context, {"id": scenario.id})
    for field in ("name", "title", "description", "position"):
        if field in data:
            setattr(scenario, field, data[field])
    old_image = scenario.image
    new_image = _stored_image(data_dict)
    if new_image or data.get("remove_image"):
        scenario.image = new_image
    try:
        if "packages" in data:
            _set_packages(scenario, data["packages"])
        finish(context)
    except Exception:
        if new_image:
            images.delete(new_image)
        raise
    if old_image and scenario.image != old_image:
        images.delete(old_image)
    return govdata_scenario_show(dict(context), {"id": scenario.id})


@atomic
def govdata_scenario_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Delete a scenario (staff). The datasets stay; only the collection goes."""
    data = validate(data_dict, schema.showcase_id_schema(), context)
    scenario = scenario_object(data["id"])
    tk.check_access("govdata_scenario_delete", context, {"id": scenario.id})
    image = scenario.image
    model.Session.delete(scenario)
    finish(context)
    if image:
        images.delete(image)
    return {"id": data["id"], "deleted": True}


@tk.side_effect_free
def govdata_scenario_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A scenario with the datasets and APIs of it the caller may see, in the scenario's order."""
    data = validate(data_dict, schema.showcase_id_schema(), context)
    scenario = scenario_object(data["id"])
    tk.check_access("govdata_scenario_show", context, {"id": scenario.id})
    packages = []
    for package_id in queries.scenario_package_ids(scenario.id):
        try:
            packages.append(tk.get_action("package_show")(dict(context), {"id": package_id}))
        except (tk.NotAuthorized, tk.ObjectNotFound):
            continue
    return dict(dictization.scenario_dict(scenario), packages=packages)


@tk.side_effect_free
def govdata_scenario_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Every scenario, in the staff's order, with how many public datasets and APIs each has."""
    tk.check_access("govdata_scenario_list", context, data_dict)
    counts = queries.public_package_counts()
    scenarios = model.Session.query(Scenario).order_by(Scenario.position, Scenario.title)
    return [dict(dictization.scenario_dict(scenario), package_count=counts.get(scenario.id, 0)) for scenario in scenarios]
