"""Auth functions of govdata_stats (default-deny: only what is listed here is allowed)."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import authz
from ckan.types import AuthResult, Context, DataDict

from ckanext.govdata.stats import counters

__all__ = [
    "govdata_bulletin_generate", "govdata_bulletin_list", "govdata_bulletin_show", "govdata_department_report",
    "govdata_overdue_list", "govdata_statistics", "govdata_stats_refresh",
]

# Editors and admins of a department are its staff; plain members only read.
STAFF_PERMISSION = "create_dataset"


def _denied(message: str) -> AuthResult:
    return {"success": False, "msg": message}


@tk.auth_allow_anonymous_access
def govdata_statistics(context: Context, data_dict: DataDict) -> AuthResult:
    """Public figures for everyone; staff figures for sysadmins and the department's staff."""
    if data_dict.get("audience", counters.PUBLIC) == counters.PUBLIC:
        return {"success": True}
    user = context.get("user")
    if (
        data_dict.get("scope") == counters.DEPARTMENT
        and user
        and authz.has_user_permission_for_group_or_org(data_dict.get("id"), user, STAFF_PERMISSION)
    ):
        return {"success": True}
    return _denied(tk._("Only bureau and department staff may see unpublished figures"))


def govdata_department_report(context: Context, data_dict: DataDict) -> AuthResult:
    """A department's staff see its report; sysadmins see every department's."""
    user = context.get("user")
    if not user:
        return _denied(tk._("Only bureau and department staff may see the monitoring report"))
    department_id: Any = data_dict.get("id")
    if department_id:
        allowed = authz.has_user_permission_for_group_or_org(department_id, user, STAFF_PERMISSION)
    else:
        allowed = authz.has_user_permission_for_some_org(user, STAFF_PERMISSION)
    if allowed:
        return {"success": True}
    return _denied(tk._("Only bureau and department staff may see the monitoring report"))


def govdata_stats_refresh(context: Context, data_dict: DataDict) -> AuthResult:
    """Sysadmins only (and code running with ignore_auth, such as an import's batch)."""
    return _denied(tk._("Only sysadmins may refresh the counters"))


def govdata_overdue_list(context: Context, data_dict: DataDict) -> AuthResult:
    """As the monitoring report: a department's staff, and sysadmins for every department."""
    return govdata_department_report(context, data_dict)


def govdata_bulletin_generate(context: Context, data_dict: DataDict) -> AuthResult:
    """Sysadmins only (and cron, through the CLI)."""
    return _denied(tk._("Only sysadmins may generate bulletins"))


def govdata_bulletin_list(context: Context, data_dict: DataDict) -> AuthResult:
    """The bureau and any department's staff; the action narrows the list to what each may read."""
    user = context.get("user")
    if user and authz.has_user_permission_for_some_org(user, STAFF_PERMISSION):
        return {"success": True}
    return _denied(tk._("Only bureau and department staff may see the bulletins"))


def govdata_bulletin_show(context: Context, data_dict: DataDict) -> AuthResult:
    """A weekly bulletin: the bureau and any department's staff; a daily notice: the bureau and
    the department's staff. The action passes the bulletin's ``kind`` and ``department_id``."""
    user = context.get("user")
    if user and data_dict.get("kind") == "weekly":
        allowed = authz.has_user_permission_for_some_org(user, STAFF_PERMISSION)
    elif user and data_dict.get("department_id"):
        allowed = authz.has_user_permission_for_group_or_org(data_dict["department_id"], user, STAFF_PERMISSION)
    else:
        allowed = False
    if allowed:
        return {"success": True}
    return _denied(tk._("Only bureau and department staff may see the bulletins"))
