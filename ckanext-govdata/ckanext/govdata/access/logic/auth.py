"""Auth functions of conditional opening; everything not explicitly allowed is refused."""
from __future__ import annotations

from typing import Any

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


# --- Core auth functions chained for the open conditions -------------------------------------


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
    context["table_names"] = names  # type: ignore[typeddict-unknown-key]
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


# --- Auth functions of the access actions ----------------------------------------------------


def _request(data_dict: DataDict) -> Any:
    from ckanext.govdata.access.model import AccessRequest

    return model.Session.get(AccessRequest, (data_dict or {}).get("id") or "")


def _signed_in(context: Context) -> AuthResult:
    if Viewer.from_context(context).user is None:
        return _refuse(bilingual("Sign in to use data requests"))
    return {"success": True}


def govdata_access_request_create(context: Context, data_dict: DataDict) -> AuthResult:
    """Any registered user may apply."""
    return _signed_in(context)


def govdata_access_request_list(context: Context, data_dict: DataDict) -> AuthResult:
    """Signed-in users; the action itself confines each to their own or their departments' requests."""
    return _signed_in(context)


def govdata_access_notice_list(context: Context, data_dict: DataDict) -> AuthResult:
    return _signed_in(context)


def govdata_access_notice_read(context: Context, data_dict: DataDict) -> AuthResult:
    """Each user marks only their own notices; the action filters on the caller."""
    return _signed_in(context)


def govdata_access_grant_list(context: Context, data_dict: DataDict) -> AuthResult:
    return _signed_in(context)


def _is_applicant(context: Context, data_dict: DataDict) -> AuthResult:
    request = _request(data_dict)
    viewer = Viewer.from_context(context)
    if request is not None and viewer.user is not None and request.user_id == viewer.user.id:
        return {"success": True}
    return _refuse(bilingual("Only the applicant may do this"))


def _is_reviewer(viewer: Viewer, organization_id: str | None) -> bool:
    return viewer.sysadmin or viewer.staff_of(organization_id)


def govdata_access_request_show(context: Context, data_dict: DataDict) -> AuthResult:
    """The applicant, the department that holds the data, and bureau staff."""
    request = _request(data_dict)
    viewer = Viewer.from_context(context)
    if request is not None and (
        (viewer.user is not None and request.user_id == viewer.user.id) or _is_reviewer(viewer, request.organization_id)
    ):
        return {"success": True}
    return _refuse(bilingual("Not authorised to see this request"))


def govdata_access_request_counts(context: Context, data_dict: DataDict) -> AuthResult:
    """Sysadmins for every department; a department's members for their own."""
    viewer = Viewer.from_context(context)
    organization_id = (data_dict or {}).get("organization_id")
    if viewer.sysadmin or (organization_id and viewer.user is not None and _member_of(viewer.user.id, organization_id)):
        return {"success": True}
    return _refuse(bilingual("Only the department's members may count its requests"))


def _member_of(user_id: str, organization_id: str) -> bool:
    """Any capacity: members see their department's figures on the monitoring page."""
    return (
        model.Session.query(model.Member.id)
        .filter(model.Member.group_id == organization_id, model.Member.table_name == "user")
        .filter(model.Member.table_id == user_id, model.Member.state == "active")
        .first()
    ) is not None


def govdata_access_request_update(context: Context, data_dict: DataDict) -> AuthResult:
    return _is_applicant(context, data_dict)


def govdata_access_request_submit(context: Context, data_dict: DataDict) -> AuthResult:
    return _is_applicant(context, data_dict)


def govdata_access_request_withdraw(context: Context, data_dict: DataDict) -> AuthResult:
    return _is_applicant(context, data_dict)


def govdata_access_request_review(context: Context, data_dict: DataDict) -> AuthResult:
    """The platform check is the bureau's (sysadmins)."""
    if Viewer.from_context(context).sysadmin:
        return {"success": True}
    return _refuse(bilingual("Only the data bureau's staff may check requests"))


def govdata_access_request_decide(context: Context, data_dict: DataDict) -> AuthResult:
    """Editors and admins of the department that holds the data (and sysadmins)."""
    request = _request(data_dict)
    if request is not None and _is_reviewer(Viewer.from_context(context), request.organization_id):
        return {"success": True}
    return _refuse(bilingual("Only the department that holds the data may decide this request"))


def govdata_access_grant_revoke(context: Context, data_dict: DataDict) -> AuthResult:
    from ckanext.govdata.grants import AccessGrant

    grant = model.Session.get(AccessGrant, (data_dict or {}).get("id") or "")
    package = model.Package.get(grant.package_id) if grant is not None else None
    if package is not None and _is_reviewer(Viewer.from_context(context), package.owner_org):
        return {"success": True}
    return _refuse(bilingual("Only the department that holds the data may revoke this grant"))


def govdata_access_ledger_export(context: Context, data_dict: DataDict) -> AuthResult:
    """Bureau staff, and departments for their own requests."""
    viewer = Viewer.from_context(context)
    if viewer.sysadmin or viewer.staff_orgs():
        return {"success": True}
    return _refuse(bilingual("Only reviewers may export the ledger"))


def govdata_access_reminders_send(context: Context, data_dict: DataDict) -> AuthResult:
    """Run by cron through the CLI, as the site user."""
    if Viewer.from_context(context).sysadmin:
        return {"success": True}
    return _refuse(bilingual("Only sysadmins may send reminders"))


@tk.auth_allow_anonymous_access
def govdata_workday_calendar_show(context: Context, data_dict: DataDict) -> AuthResult:
    """Holidays are public."""
    return {"success": True}


def _bureau_staff(context: Context) -> AuthResult:
    if Viewer.from_context(context).sysadmin:
        return {"success": True}
    return _refuse(bilingual("Only the data bureau's staff may change the working-day calendar"))


def govdata_workday_override_set(context: Context, data_dict: DataDict) -> AuthResult:
    return _bureau_staff(context)


def govdata_workday_override_delete(context: Context, data_dict: DataDict) -> AuthResult:
    return _bureau_staff(context)


def govdata_workday_schedule_import(context: Context, data_dict: DataDict) -> AuthResult:
    return _bureau_staff(context)


def all_auth_functions() -> dict[str, AuthFunction]:
    functions: dict[str, AuthFunction] = {
        "govdata_access_request_create": govdata_access_request_create,
        "govdata_access_request_update": govdata_access_request_update,
        "govdata_access_request_show": govdata_access_request_show,
        "govdata_access_request_list": govdata_access_request_list,
        "govdata_access_request_counts": govdata_access_request_counts,
        "govdata_access_request_submit": govdata_access_request_submit,
        "govdata_access_request_review": govdata_access_request_review,
        "govdata_access_request_decide": govdata_access_request_decide,
        "govdata_access_request_withdraw": govdata_access_request_withdraw,
        "govdata_access_grant_list": govdata_access_grant_list,
        "govdata_access_grant_revoke": govdata_access_grant_revoke,
        "govdata_access_ledger_export": govdata_access_ledger_export,
        "govdata_access_notice_list": govdata_access_notice_list,
        "govdata_access_notice_read": govdata_access_notice_read,
        "govdata_access_reminders_send": govdata_access_reminders_send,
        "govdata_workday_calendar_show": govdata_workday_calendar_show,
        "govdata_workday_override_set": govdata_workday_override_set,
        "govdata_workday_override_delete": govdata_workday_override_delete,
        "govdata_workday_schedule_import": govdata_workday_schedule_import,
    }
    functions["package_show"] = package_show
    if p.plugin_loaded("datastore"):
        functions.update({"datastore_search": datastore_search, "datastore_search_sql": datastore_search_sql})
    if p.plugin_loaded("activity"):
        functions["activity_diff"] = activity_diff
    return functions
