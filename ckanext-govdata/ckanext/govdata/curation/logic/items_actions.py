"""Actions of data items from the data: propose them from the datastore tables, apply them, and
list the datasets whose declared items disagree with their tables."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps
from ckanext.govdata.curation import data_items, review
from ckanext.govdata.curation.logic import common, schema


def _package(context: Context, data: dict[str, Any]) -> dict[str, Any]:
    package = tk.get_action("package_show")({"user": context["user"], "ignore_auth": True}, {"id": data["id"]})
    if package.get("type") not in review.CATALOGUE_TYPES:
        raise tk.ObjectNotFound(schema.fields.message("id", "{field} names no dataset or API interface"))
    return package


def govdata_data_items_propose(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The data items a dataset's datastore tables suggest (names and types from the tables,
    Chinese names and descriptions kept from the declared items), and where the declared items
    and the tables disagree.

    :param id: the dataset's id or name
    :returns: ``proposed`` (data items), ``mismatch`` (``not_in_table``, ``not_declared``, or None)
    """
    data = action_steps.validate(data_dict, schema.review_show_schema(), context)
    package = _package(context, data)
    tk.check_access("govdata_data_items_propose", context, {"id": package["id"]})
    return {"id": package["id"], "proposed": data_items.proposed(package), "mismatch": data_items.mismatch(package)}


def govdata_data_items_apply(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Replace a dataset's data items with the proposed ones; staff then edit the Chinese names
    and descriptions in the form.

    :param id: the dataset's id or name
    """
    data = action_steps.validate(data_dict, schema.review_show_schema(), context)
    package = _package(context, data)
    tk.check_access("govdata_data_items_apply", context, {"id": package["id"]})
    items = data_items.proposed(package)
    if not items:
        raise tk.ValidationError({"id": [schema.fields.message("id", "{field} has no datastore table to read data items from")]})
    tk.get_action("package_patch")({"user": context["user"]}, {"id": package["id"], "data_items": items})
    return {"id": package["id"], "data_items": items}


def govdata_catalogue_item_mismatches(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Datasets whose declared data items disagree with their datastore tables.

    :param id: one department (id or name); default: the user's departments (all for the bureau)
    """
    data = action_steps.validate(data_dict, schema.report_schema(), context)
    tk.check_access("govdata_catalogue_item_mismatches", context, data)
    departments = common.report_departments(context, data.get("id"))
    query = (
        model.Session.query(model.Package.id, model.Resource.extras)
        .join(model.Resource, model.Resource.package_id == model.Package.id)
        .filter(model.Package.state == "active", model.Package.type.in_(review.CATALOGUE_TYPES),
                model.Resource.state == "active")
    )
    if departments is not None:
        query = query.filter(model.Package.owner_org.in_(departments))
    with_tables = sorted({package_id for package_id, extras in query if (extras or {}).get("datastore_active")})
    found = []
    for package_id in with_tables:
        package = tk.get_action("package_show")({"ignore_auth": True}, {"id": package_id})
        disagreement = data_items.mismatch(package)
        if disagreement:
            found.append({"id": package["id"], "name": package["name"], "title": package["title"], "type": package["type"],
                          "department": (package.get("organization") or {}).get("title", ""), **disagreement})
    return {"count": len(found), "datasets": sorted(found, key=lambda entry: (entry["department"], entry["title"]))}
