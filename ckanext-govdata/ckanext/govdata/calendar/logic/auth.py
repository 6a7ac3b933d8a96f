"""Auth functions of the calendar actions: the holidays are public, the bureau changes them."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import authz
from ckan.types import AuthResult, Context, DataDict

from ckanext.govdata.messages import bilingual


@tk.auth_allow_anonymous_access
def govdata_workday_calendar_show(context: Context, data_dict: DataDict) -> AuthResult:
    """Holidays are public."""
    return {"success": True}


def _bureau_staff(context: Context) -> AuthResult:
    if authz.is_sysadmin(context.get("user")):
        return {"success": True}
    return {"success": False, "msg": bilingual("Only the data bureau's staff may change the working-day calendar")}


def govdata_workday_override_set(context: Context, data_dict: DataDict) -> AuthResult:
    return _bureau_staff(context)


def govdata_workday_override_delete(context: Context, data_dict: DataDict) -> AuthResult:
    return _bureau_staff(context)


def govdata_workday_schedule_import(context: Context, data_dict: DataDict) -> AuthResult:
    return _bureau_staff(context)
