"""Validators of the showcase schema (scheming/showcase.yaml).

Two fields are not the submitter's to set: ``moderation_state`` and ``screenshots``. Their values
come from the showcase actions, which pass them in the context after their own checks; anything a
client sends for them is ignored, whichever action (ours or CKAN's package_update) it calls.
"""
from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from ckan import model
from ckan.lib.navl.dictization_functions import Invalid
from ckanext.scheming.validation import scheming_validator

from ckanext.govdata.messages import bilingual
from ckanext.govdata.showcase import roles, workflow
from ckanext.govdata.validators import rules, scheming

Validator = Callable[..., Any]

# Context keys through which the showcase actions set the managed fields.
MODERATION_STATE_KEY = "govdata_moderation_state"
SCREENSHOTS_KEY = "govdata_screenshots"

# Packages a showcase can say it uses: the catalogue's datasets and API interfaces.
USABLE_TYPES = ("dataset", "dataservice")


def _stored(context: dict[str, Any], field_name: str) -> str | None:
    """The field's value in the showcase being updated, if this is an update of one."""
    package = context.get("package")
    if not isinstance(package, model.Package) or not roles.is_showcase(package):
        return None
    return package.extras.get(field_name)


@scheming_validator
def govdata_showcase_required(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    return scheming.required(field)


@scheming_validator
def govdata_showcase_choice(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """One of the field's own ``choices``."""
    allowed = [choice["value"] for choice in field["choices"]]

    return scheming.checked(field, lambda value: rules.check_choice(value, allowed))


def catalogue_package_ids(references: Any) -> list[str]:
    """Ids of the public datasets and APIs named (by name or id), in order, without repeats.

    Raises ``LookupError(reference)`` for the first reference that is not one of them.
    """
    if rules.is_empty(references):
        return []
    if isinstance(references, str):
        try:
            references = json.loads(references) if references.startswith("[") else references.split(",")
        except ValueError:
            references = references.split(",")
    ids: list[str] = []
    for reference in references if isinstance(references, list) else [references]:
        reference = str(reference).strip()
        if not reference:
            continue
        package = model.Package.get(reference)
        if package is None or package.state != "active" or package.private or package.type not in USABLE_TYPES:
            raise LookupError(reference)
        if package.id not in ids:
            ids.append(package.id)
    return ids


@scheming_validator
def govdata_showcase_packages(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """Datasets and APIs the showcase uses, by name or id: public, active, stored as ids in order."""

    def validator(value):
        try:
            return json.dumps(catalogue_package_ids(value))
        except LookupError as unknown:
            raise Invalid(
                bilingual("{field} names no published dataset or API: {value}", field=scheming.field_label(field), value=unknown.args[0])
            ) from None

    return validator


def _moderation_state(context: dict[str, Any]) -> str:
    """Set by moderation only; any other change sends the showcase (back) to moderation.

    Moderators editing keep the state they find, so fixing a typo in a published showcase does
    not unpublish it.
    """
    decided = context.get(MODERATION_STATE_KEY)
    if decided:
        return decided
    package = context.get("package")
    return workflow.next_state(
        package if isinstance(package, model.Package) else None, context.get("auth_user_obj") or context.get("user"), "edit"
    )


def govdata_showcase_moderation_state(key, data, errors, context):
    data[key] = _moderation_state(context)


def govdata_showcase_private(key, data, errors, context):
    """A showcase is private until published, so CKAN's own lists (package_list, autocomplete,
    sitemaps …) leave it out like any private dataset; who may see it is ours to say."""
    data[key] = _moderation_state(context) != roles.PUBLISHED


def govdata_showcase_screenshots(key, data, errors, context):
    """Written by the screenshot upload of the showcase actions; kept as stored otherwise."""
    given = context.get(SCREENSHOTS_KEY)
    if given is not None:
        data[key] = json.dumps(given)
        return
    data[key] = _stored(context, key[-1]) or "[]"


def all_validators() -> dict[str, Validator]:
    return {
        "govdata_showcase_required": govdata_showcase_required,
        "govdata_showcase_choice": govdata_showcase_choice,
        "govdata_showcase_packages": govdata_showcase_packages,
        "govdata_showcase_moderation_state": govdata_showcase_moderation_state,
        "govdata_showcase_screenshots": govdata_showcase_screenshots,
        "govdata_showcase_private": govdata_showcase_private,
    }
