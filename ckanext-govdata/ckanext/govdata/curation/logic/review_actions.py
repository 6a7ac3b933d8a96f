"""Actions of the review before publishing: submit, decide, and what reviewers read."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps, catalogue, workflows
from ckanext.govdata.curation import activities, checks, review
from ckanext.govdata.curation.logic import schema
from ckanext.govdata.messages import bilingual, chinese
from ckanext.govdata.open_condition import Viewer
from ckanext.govdata.validators import grades


def _entry(data: dict[str, Any], lock: bool = False) -> model.Package:
    query = model.Session.query(model.Package).filter(
        (model.Package.id == data["id"]) | (model.Package.name == data["id"]), model.Package.state == "active"
    )
    package = (query.with_for_update() if lock else query).first()
    if not review.is_catalogue_entry(package):
        raise tk.ObjectNotFound(schema.fields.message("id", "{field} names no dataset or API interface"))
    assert package is not None
    return package


def _move(context: Context, package: model.Package, operation: workflows.Operation, comment: str) -> dict[str, Any]:
    """Move ``package`` by ``operation``: the state, the activity, the index and the counters,
    committed together by package_patch. (A deferred commit is not offered: CKAN 2.12's
    package_update drops its own change when its commit is deferred and its result asked for.)"""
    before = review.stored_state(package)
    after = workflows.move(operation, before, field="review_state")
    if after is None:
        return govdata_review_show(dict(context, ignore_auth=True), {"id": package.id})
    if after == review.PUBLISHED and not catalogue.has_data(package):
        raise tk.ValidationError({"review_state": [bilingual(
            "An entry is published with its data: add a data file or table first (数据目录100%挂载)"
        )]})
    if after == review.PUBLISHED:
        extras = package.extras or {}
        refused = grades.refusal(extras.get("security_grade"), extras.get("open_condition"),
                                 (chinese("Open condition"), "Open condition"))
        if refused:
            raise tk.ValidationError({"open_condition": [refused]})
    activities.record(context, package, operation.name, before, after, comment)
    patch_context = {"user": context["user"], "ignore_auth": True, review.STATE_KEY: after}
    tk.get_action("package_patch")(patch_context, {"id": package.id, "review_state": after})
    return govdata_review_show(dict(context, ignore_auth=True), {"id": package.id})


@action_steps.atomic
def govdata_review_submit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A department submits a draft (or a returned entry) to the bureau for review.

    :param id: the dataset's or API's id or name
    :param comment: a note to the reviewer (optional)
    """
    data = action_steps.validate(data_dict, schema.review_submit_schema(), context)
    package = _entry(data, lock=True)
    tk.check_access("govdata_review_submit", context, {"id": package.id})
    return _move(context, package, review.OPERATIONS["submit"], data.get("comment") or "")


@action_steps.atomic
def govdata_review_decide(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The bureau publishes an entry, returns it to its department with comments, or withdraws
    a published one.

    :param id: the dataset's or API's id or name
    :param decision: ``publish``, ``return`` or ``unpublish``
    :param comment: required to return or withdraw
    """
    data = action_steps.validate(data_dict, schema.review_decide_schema(), context)
    package = _entry(data, lock=True)
    tk.check_access("govdata_review_decide", context, {"id": package.id})
    operation = workflows.operation_for(review.OPERATIONS, "govdata_review_decide", data)
    comment = data.get("comment") or ""
    if operation.name in (review.RETURN, review.UNPUBLISH) and not comment:
        raise tk.ValidationError({"comment": [schema.fields.message("comment", "{field} is required")]})
    return _move(context, package, operation, comment)


def govdata_review_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """An entry's review: its state, what the caller may do now, its review steps and the
    entries it looks like (likely duplicates).

    :param id: the dataset's or API's id or name
    """
    data = action_steps.validate(data_dict, schema.review_show_schema(), context)
    package = _entry(data)
    tk.check_access("govdata_review_show", context, {"id": package.id})
    return {
        "id": package.id,
        "name": package.name,
        "review_state": review.stored_state(package),
        "has_data": catalogue.has_data(package),
        "allowed_operations": review.allowed_operations(package, Viewer.from_context(context)),
        "steps": activities.steps(package.id),
        "duplicates": _duplicates_of(package),
    }


def _duplicates_of(package: model.Package) -> list[dict[str, Any]]:
    """Entries this one looks like (``checks``), for the reviewers to confirm it is not one."""
    everything = checks.entries()
    own = [entry for entry in everything if entry.id == package.id]
    return [
        next(entry for entry in pair["entries"] if entry["id"] != package.id) | {"reason": pair["reason"]}
        for pair in checks.duplicate_pairs(own, everything)
    ]


def govdata_review_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Entries in one review state that the caller may see (default: submitted, the bureau's
    queue); department staff see their own departments' entries.

    :param review_state: draft, submitted, returned or published
    :param rows: at most this many (default 100, at most 1000)
    :param start: offset
    """
    tk.check_access("govdata_review_list", context, data_dict)
    data = action_steps.validate(data_dict, schema.review_list_schema(), context)
    found = tk.get_action("package_search")(dict(context), {
        "fq": f'{review.CATALOGUE_FILTER} +extras_review_state:"{data["review_state"]}"',
        "include_private": True, "rows": data["rows"], "start": data["start"], "sort": "metadata_modified asc",
    })
    return {"count": found["count"], "results": [
        {key: result.get(key) for key in ("id", "name", "title", "type", "owner_org", "metadata_modified")}
        | {"department": (result.get("organization") or {}).get("title"), "review_state": data["review_state"]}
        for result in found["results"]
    ]}
