"""CKAN's own auth functions, chained so the open conditions decide who sees what data."""
from __future__ import annotations

import ckan.plugins as p
import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import AuthFunction, AuthResult, Context, DataDict

from ckanext.govdata import open_condition
from ckanext.govdata.access.logic import enforcement
from ckanext.govdata.messages import bilingual
from ckanext.govdata.open_condition import Viewer


def _refuse(message: str) -> AuthResult:
    return {"success": False, "msg": message}


def _no_data() -> AuthResult:
    return _refuse(bilingual("The data of this dataset is available only to holders of an approved request"))


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def package_show(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """Not-open datasets are unlisted when the bureau says so (ckanext.govdata.list_not_open)."""
    result = next_auth(context, data_dict)
    if not result.get("success") or open_condition.not_open_listed():
        return result
    package = context.get("package") or model.Package.get((data_dict or {}).get("id") or "")
    if package is not None and not open_condition.metadata_visible(Viewer.from_context(context), package):
        return _refuse(bilingual("This dataset is not open"))
    return result


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_search(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    result = next_auth(context, data_dict)
    if not result.get("success"):
        return result
    # CKAN asks with the validated dict it is about to run, the alias already resolved.
    resource_id = enforcement.real_resource_id((data_dict or {}).get("resource_id"))
    if resource_id is None:
        return _no_data()
    _resource, access = open_condition.resource_access(Viewer.from_context(context), resource_id, rows=True)
    # The chained action confines a data-subject grantee to the subject's rows; refuse any query that does not.
    return result if access.allowed and enforcement.rows_confined(data_dict, access) else _no_data()


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def datastore_search_sql(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """Every table the query touches must be open to the caller, and none may be row-filtered.

    A data-subject grant limits the grantee to some rows, which a free SQL query cannot honour.
    """
    # The datastore passes a generator: read it once for both checks.
    names = list(context.get("table_names") or [])
    context["table_names"] = names
    result = next_auth(context, data_dict)
    if not result.get("success"):
        return result
    viewer = Viewer.from_context(context)
    accesses = []
    for name in names:
        resource_id = enforcement.real_resource_id(name)
        if resource_id is None:
            return _refuse(bilingual("Not authorized to read table {table}", table=name))
        resource, access = open_condition.resource_access(viewer, resource_id, rows=True)
        if not access.allowed:
            return _no_data()
        if access.row_filter:
            return _refuse(bilingual("Data-subject grants allow datastore_search only, not SQL"))
        accesses.append((resource, access))
    enforcement.stash_sql_accesses(accesses)
    return result


@tk.chained_auth_function
@tk.auth_allow_anonymous_access
def activity_diff(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
    """A diff shows the resource URLs of two versions: only for those who may use the data."""
    result = next_auth(context, data_dict)
    if not result.get("success"):
        return result
    from ckanext.activity.model import Activity

    activity = model.Session.get(Activity, (data_dict or {}).get("id"))
    package = model.Package.get(activity.object_id) if activity is not None and activity.object_id else None
    if package is None:
        return result
    viewer = Viewer.from_context(context)
    if all(open_condition.data_access(viewer, package, resource).allowed for resource in package.resources):
        return result
    return _no_data()


def chained_auth_functions() -> dict[str, AuthFunction]:
    """The chained core auth functions, for the plugins loaded in this configuration."""
    functions: dict[str, AuthFunction] = {"package_show": package_show}
    if p.plugin_loaded("datastore"):
        functions.update({"datastore_search": datastore_search, "datastore_search_sql": datastore_search_sql})
    if p.plugin_loaded("activity"):
        functions["activity_diff"] = activity_diff
    return functions
