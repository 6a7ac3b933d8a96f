"""CKAN core actions chained so that no data location or row leaves through them unchecked.

Each wrapper runs CKAN's own action, then lets ``open_condition`` blank what the caller may
not use: resource URLs and API endpoints in dataset dicts (package_show, resource_show,
package_search, activity), raw index fields, and datastore rows outside a data-subject grant.
"""
from __future__ import annotations

import json
import re
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Action, Context, DataDict

from ckanext.govdata import open_condition, request_scope, settings
from ckanext.govdata.messages import bilingual
from ckanext.govdata.open_condition import Viewer


def _is_raw_dictization(context: Context) -> bool:
    """``validate=False`` dicts feed the search index, never a caller; they stay whole."""
    return context.get("validate") is False


@tk.chained_action
@tk.side_effect_free
def package_show(original_action: Action, context: Context, data_dict: DataDict) -> dict[str, Any]:
    result = original_action(context, data_dict)
    if _is_raw_dictization(context):
        return result
    return open_condition.redact_package(Viewer.from_context(context), result)


# A result field asked for by its plain name: no alias (``x:field``), function, glob or transformer.
PLAIN_FIELD = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")


def _requested_fields(value: Any) -> list[str]:
    if isinstance(value, str):
        return [name for name in re.split(r"[\s,]+", value) if name]
    if isinstance(value, list) and all(isinstance(name, str) for name in value):
        return [name for item in value for name in re.split(r"[\s,]+", item) if name]
    raise tk.ValidationError({"fl": [bilingual("Result fields must be a list of field names")]})


def _requested_facets(value: Any) -> list[Any]:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            value = [value]
    return value if isinstance(value, list) else [value]


def _check_public_search(data_dict: DataDict) -> None:
    """Callers other than sysadmins ask for plain result fields and the portal's own facets only."""
    if data_dict.get("fl") and data_dict["fl"] != "*":
        refused = [name for name in _requested_fields(data_dict["fl"]) if not PLAIN_FIELD.match(name)]
        if refused:
            raise tk.ValidationError(
                {"fl": [bilingual("Result fields must be plain field names: {fields}", fields=" ".join(refused))]}
            )
    if "facet.field" in data_dict:
        allowed = set(settings.current().access.public_facet_fields)
        refused = [name for name in _requested_facets(data_dict["facet.field"]) if name not in allowed]
        if refused:
            raise tk.ValidationError(
                {"facet.field": [bilingual("These fields cannot be faceted on: {fields}",
                                           fields=" ".join(map(str, refused)))]}
            )


@tk.chained_action
@tk.side_effect_free
def package_search(original_action: Action, context: Context, data_dict: DataDict) -> dict[str, Any]:
    viewer = Viewer.from_context(context)
    if not viewer.sysadmin:
        _check_public_search(data_dict)
    hidden = open_condition.hidden_not_open_filter(viewer)
    if hidden:
        data_dict["fq_list"] = [*list(data_dict.get("fq_list") or []), hidden]
    fields = _requested_fields(data_dict["fl"]) if data_dict.get("fl") else None
    added_id = False
    if fields:
        # Raw rows need their id so that their dataset's open condition can be checked.
        if "id" not in fields and "*" not in fields:
            fields.append("id")
            added_id = True
        data_dict["fl"] = fields
    result = original_action(context, data_dict)
    for row in result.get("results", []):
        if fields:
            open_condition.redact_index_fields(viewer, row)
            if added_id:
                row.pop("id", None)
        else:
            open_condition.redact_package(viewer, row)
    return result


@tk.chained_action
@tk.side_effect_free
def current_package_list_with_resources(
    original_action: Action, context: Context, data_dict: DataDict
) -> list[dict[str, Any]]:
    viewer = Viewer.from_context(context)
    return [open_condition.redact_package(viewer, package) for package in original_action(context, data_dict)]


@tk.chained_action
@tk.side_effect_free
def dataset_followee_list(original_action: Action, context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    viewer = Viewer.from_context(context)
    return [open_condition.redact_package(viewer, package) for package in original_action(context, data_dict)]


@tk.chained_action
@tk.side_effect_free
def resource_search(original_action: Action, context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Resources the caller may not use lose their URL; a query on ``url`` does not see them at all."""
    viewer = Viewer.from_context(context)
    result = original_action(context, data_dict)
    queries = data_dict.get("query") or []
    queries = [queries] if isinstance(queries, str) else queries
    probes_url = any(str(term).split(":", 1)[0].strip() == "url" for term in queries)
    kept = []
    for resource in result.get("results", []):
        package = model.Package.get(resource.get("package_id"))
        if package is not None and open_condition.data_access(viewer, package, resource).allowed:
            kept.append(resource)
        elif not probes_url:
            resource["url"] = ""
            resource["access_restricted"] = True
            kept.append(resource)
    if isinstance(result.get("results"), list):
        result["count"] = result.get("count", 0) - (len(result["results"]) - len(kept))
        result["results"] = kept
    return result


def _redact_activity(viewer: Viewer, activity: dict[str, Any]) -> dict[str, Any]:
    package = (activity.get("data") or {}).get("package")
    if isinstance(package, dict) and package.get("id"):
        open_condition.redact_package(viewer, package)
    return activity


# Core actions that list activities: each carries the datasets' dicts as they were.
ACTIVITY_LISTS = (
    "package_activity_list",
    "user_activity_list",
    "dashboard_activity_list",
    "organization_activity_list",
    "group_activity_list",
    "recently_changed_packages_activity_list",
)


@tk.chained_action
@tk.side_effect_free
def activity_list(original_action: Action, context: Context, data_dict: DataDict) -> Any:
    """Any of ``ACTIVITY_LISTS``: CKAN chains it under each name."""
    viewer = Viewer.from_context(context)
    result = original_action(context, data_dict)
    return [_redact_activity(viewer, activity) for activity in result]


@tk.chained_action
@tk.side_effect_free
def activity_show(original_action: Action, context: Context, data_dict: DataDict) -> dict[str, Any]:
    return _redact_activity(Viewer.from_context(context), original_action(context, data_dict))


@tk.chained_action
@tk.side_effect_free
def activity_data_show(original_action: Action, context: Context, data_dict: DataDict) -> dict[str, Any]:
    result = original_action(context, data_dict)
    viewer = Viewer.from_context(context)
    if data_dict.get("object_type") == "package" or ("resources" in result and "owner_org" in result):
        open_condition.redact_package(viewer, result)
    else:
        _redact_activity(viewer, {"data": result})
    return result


def real_resource_id(name: str | None) -> str | None:
    """A datastore table name or alias as the id of the resource it belongs to."""
    if not name:
        return None
    if model.Resource.get(name) is not None:
        return name
    from ckanext.datastore.backend import DatastoreBackend

    exists, real_id = DatastoreBackend.get_active_backend().resource_id_from_alias(name)
    return real_id if exists and real_id else None


def _with_row_filter(data_dict: DataDict, row_filter: dict[str, str]) -> None:
    filters: Any = data_dict.get("filters") or {}
    if isinstance(filters, str):
        try:
            filters = json.loads(filters)
        except ValueError:
            filters = None
    if not isinstance(filters, dict):
        raise tk.ValidationError({"filters": [bilingual("Filters must be an object of column names and values")]})
    filters[row_filter["column"]] = row_filter["value"]
    data_dict["filters"] = filters


def _channel() -> str:
    """datastore_search serves the API, the datastore dump and resource views alike."""
    return "dump" if request_scope.endpoint() == "datastore.dump" else "datastore_search"


def _as_core_reads(context: Context, data_dict: DataDict) -> DataDict:
    """``data_dict`` after CKAN's own datastore_search schema: the names the core will use.

    The schema renames ``id`` over ``resource_id``; deciding on the raw dict would check one
    table and serve another.
    """
    from ckanext.datastore.logic.schema import datastore_search_schema

    schema = context.get("schema") or datastore_search_schema()
    try:
        validated, errors = tk.navl_validate(dict(data_dict), schema, dict(context))
    except (TypeError, ValueError, AttributeError):
        # Some core validators fail on values of the wrong type (a list as ``limit`` …).
        raise tk.ValidationError(
            {name: [bilingual("Invalid input")] for name, value in data_dict.items() if not isinstance(value, str)}
            or {"resource_id": [bilingual("Invalid input")]}
        ) from None
    if errors:
        raise tk.ValidationError(errors)
    if "filters" in validated and not isinstance(validated["filters"], dict):
        # The core's json_validator lets a list through, and its query builder then fails.
        raise tk.ValidationError({"filters": [bilingual("Filters must be an object of column names and values")]})
    return validated


def internal_tables() -> list[str]:
    """Tables the datastore serves without any access check (its table of all tables)."""
    return tk.aslist(tk.config.get("ckan.datastore.public_table_search") or ["_table_metadata"])


@tk.chained_action
@tk.side_effect_free
def datastore_search(original_action: Action, context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Confines data-subject grantees to their subject's rows, and logs reads of data not open to all."""
    viewer = Viewer.from_context(context)
    data_dict = _as_core_reads(context, data_dict)
    name = data_dict["resource_id"]
    if name in internal_tables() and not viewer.sysadmin:
        raise tk.NotAuthorized(bilingual("This table is not public"))
    resource_id = real_resource_id(name)
    resource, access = (
        open_condition.resource_access(viewer, resource_id, rows=True) if resource_id else (None, open_condition.DENIED)
    )
    if access.allowed and access.row_filter:
        _with_row_filter(data_dict, access.row_filter)
    result = original_action(context, data_dict)
    if resource is not None:
        open_condition.log_access(
            viewer, access, resource.package_id, resource.id, _channel(), len(result.get("records") or []), "rows"
        )
    return result


def rows_confined(data_dict: DataDict, access: open_condition.Access) -> bool:
    """Does the query CKAN is about to run keep to the grant's rows?

    CKAN's action asks with its validated query, which always carries ``records_format``; a
    bare ``{"resource_id": …}`` (the dump view's check) asks only whether the table may be read.
    """
    row_filter = access.row_filter
    if not row_filter or "records_format" not in data_dict:
        return True
    filters = data_dict.get("filters")
    return isinstance(filters, dict) and filters.get(row_filter["column"]) == row_filter["value"]


def stash_sql_accesses(accesses: list[tuple[model.Resource, open_condition.Access]]) -> None:
    """The auth function sees the tables of a SQL query; the action needs them to log the read."""
    request_scope.hand_over(request_scope.SQL_ACCESSES, accesses)


def _stashed_sql_accesses() -> list[tuple[model.Resource, open_condition.Access]]:
    return request_scope.take(request_scope.SQL_ACCESSES, [])


@tk.chained_action
@tk.side_effect_free
def datastore_search_sql(original_action: Action, context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Logs SQL reads of data not open to all; the chained auth function has already refused restricted tables."""
    result = original_action(context, data_dict)
    viewer = Viewer.from_context(context)
    rows = len(result.get("records") or [])
    for resource, access in _stashed_sql_accesses():
        open_condition.log_access(viewer, access, resource.package_id, resource.id, "datastore_search_sql", rows, "rows")
    return result


def all_chained_actions() -> dict[str, Action]:
    """The wrappers of core actions, for the plugins that provide them in this configuration."""
    actions: dict[str, Action] = {
        "package_show": package_show,
        "package_search": package_search,
        "current_package_list_with_resources": current_package_list_with_resources,
        "dataset_followee_list": dataset_followee_list,
        "resource_search": resource_search,
    }
    if p.plugin_loaded("activity"):
        actions.update(dict.fromkeys(ACTIVITY_LISTS, activity_list))
        actions.update({"activity_show": activity_show, "activity_data_show": activity_data_show})
    if p.plugin_loaded("datastore"):
        actions["datastore_search"] = datastore_search
        if tk.asbool(tk.config.get("ckan.datastore.sqlsearch.enabled")):
            actions["datastore_search_sql"] = datastore_search_sql
    return actions
