"""Who may import into the open directory: a department's editors and admins and sysadmins.
Each row is then checked as its own ``package_create`` / ``package_update``."""
from __future__ import annotations

from ckan import authz
from ckan.types import AuthResult, Context, DataDict


def govdata_catalogue_import(context: Context, data_dict: DataDict) -> AuthResult:
    user = context.get("user")
    if user and authz.has_user_permission_for_some_org(user, "create_dataset"):
        return {"success": True}
    return {"success": False, "msg": "Only department editors may import a directory"}


def govdata_catalogue_returned_show(context: Context, data_dict: DataDict) -> AuthResult:
    return govdata_catalogue_import(context, data_dict)
