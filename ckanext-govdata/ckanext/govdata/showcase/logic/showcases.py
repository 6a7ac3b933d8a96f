"""Actions on showcases (应用成果): submission with screenshots, changes, moderation, listings."""
from __future__ import annotations

import uuid
from typing import Any

import ckan.lib.plugins as lib_plugins
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict
from sqlalchemy import cast
from sqlalchemy.dialects.postgresql import JSONB

from ckanext.govdata import settings
from ckanext.govdata.action_steps import atomic, validate
from ckanext.govdata.messages import bilingual
from ckanext.govdata.showcase import dictization, images, roles, workflow
from ckanext.govdata.showcase import validators as showcase_validators
from ckanext.govdata.showcase.logic import schema
from ckanext.govdata.showcase.logic.common import caller, showcase_object
from ckanext.govdata.showcase.model import ShowcaseReview

UPLOAD_FIELD = "screenshot_upload"
REMOVE_FIELD = "screenshot_remove"
# Form and API parameters of our actions that are not showcase fields.
NOT_FIELDS = (UPLOAD_FIELD, REMOVE_FIELD)
LIST_FOR_PACKAGE_LIMIT = 100


def _store_screenshots(uploads: list[Any], already: int) -> list[dict[str, Any]]:
    """Checks and stores every upload, or none of them: one bad image refuses the lot."""
    limit = settings.current().showcase.screenshots_max
    if already + len(uploads) > limit:
        raise tk.ValidationError({UPLOAD_FIELD: [bilingual("A showcase has at most {limit} screenshots", limit=limit)]})
    stored: list[dict[str, Any]] = []
    try:
        for upload in uploads:
            stored.append(images.store(upload).as_dict())
    except images.ImageRejected as rejected:
        _delete_images(stored)
        raise tk.ValidationError({UPLOAD_FIELD: [str(rejected)]}) from None
    return stored


def _delete_images(stored: list[dict[str, Any]]) -> None:
    for image in stored:
        images.delete(image)


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
        # package_create commits, unless our caller deferred the commit: one write, one transaction.
        return tk.get_action("package_create")(
            dict(context, **{showcase_validators.SCREENSHOTS_KEY: screenshots}), fields
        )
    except Exception:
        _delete_images(screenshots)
        raise


def govdata_showcase_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a showcase. Unless a moderator makes the change, it goes back to moderation.

    :param id: the showcase's id or name
    :param screenshot_upload: image file(s) to add (optional)
    :param screenshot_remove: file names of screenshots to drop (optional, list or comma-separated)
    Fields not given keep their value (patch semantics).
    """
    validate(data_dict, schema.showcase_id_schema(), context)
    package = showcase_object(data_dict["id"])
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
        _delete_images(added)
        raise
    _delete_images([shot for shot in current.get("screenshots", []) if shot["file"] in remove])
    return updated


@atomic
def govdata_showcase_moderate(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Publish a showcase, return it to its author with comments, or reject it.

    :param id: the showcase's id or name
    :param decision: ``published``, ``returned`` or ``rejected``
    :param comment: what the author should know; required when returning or rejecting
    :returns: ``{"showcase": <package>, "review": <the decision>}``
    """
    data = validate(data_dict, schema.showcase_moderate_schema(), context)
    if data["decision"] != roles.PUBLISHED and not (data.get("comment") or "").strip():
        raise tk.ValidationError({"comment": [bilingual("Say what the author should change or why it is rejected")]})
    package = showcase_object(data["id"])
    tk.check_access("govdata_showcase_moderate", context, {"id": package.id})
    reviewer = caller(context)
    assert reviewer is not None  # check_access let only a moderator through
    state = workflow.next_state(package, reviewer, workflow.decision_operation(data["decision"]).name)
    review = ShowcaseReview(
        package_id=package.id, decision=state, comment=(data.get("comment") or "").strip(), reviewer_id=reviewer.id
    )
    model.Session.add(review)
    model.Session.flush()
    # package_patch commits the state and the review together, or leaves both to a caller that
    # deferred the commit. The state also goes in the data: package_update skips saving data
    # equal to what is stored.
    showcase = tk.get_action("package_patch")(
        dict(context, **{showcase_validators.MODERATION_STATE_KEY: state}),
        {"id": package.id, "moderation_state": state},
    )
    return {"showcase": showcase, "review": dictization.review_dict(review)}


@tk.side_effect_free
def govdata_showcase_review_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The moderation decisions on a showcase, newest first (for its editors and the moderators)."""
    data = validate(data_dict, schema.showcase_id_schema(), context)
    package = showcase_object(data["id"])
    tk.check_access("govdata_showcase_review_list", context, {"id": package.id})
    reviews = (
        model.Session.query(ShowcaseReview)
        .filter(ShowcaseReview.package_id == package.id)
        .order_by(ShowcaseReview.created.desc())
    )
    return [dictization.review_dict(review) for review in reviews]


@tk.side_effect_free
def govdata_showcase_list_for_package(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The published showcases that use a dataset or API, newest first.

    :param id: the dataset's or API's id or name
    """
    data = validate(data_dict, schema.showcase_id_schema(), context)
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
