"""Auth functions of the application and usage actions: owner and sysadmins only; usage of a
department's APIs to its staff. Everything not explicitly allowed is refused."""
from __future__ import annotations

from ckan import model
from ckan.types import AuthResult, Context, DataDict

from ckanext.govdata.dataapi.keys.model import App
from ckanext.govdata.messages import bilingual
from ckanext.govdata.open_condition import Viewer


def _refuse(message: str) -> AuthResult:
    return {"success": False, "msg": message}


def _signed_in(context: Context) -> AuthResult:
    if Viewer.from_context(context).user is None:
        return _refuse(bilingual("Sign in to register applications"))
    return {"success": True}


def _owner(context: Context, data_dict: DataDict) -> AuthResult:
    viewer = Viewer.from_context(context)
    if viewer.user is None:
        return _refuse(bilingual("Sign in to register applications"))
    app_id = (data_dict or {}).get("id")
    app = model.Session.get(App, app_id) if isinstance(app_id, str) else None
    if viewer.sysadmin or (app is not None and app.user_id == viewer.user_id):
        return {"success": True}
    return _refuse(bilingual("Only the application's owner may do this"))


def govdata_app_create(context: Context, data_dict: DataDict) -> AuthResult:
    return _signed_in(context)


def govdata_app_list(context: Context, data_dict: DataDict) -> AuthResult:
    viewer = Viewer.from_context(context)
    if viewer.user is None:
        return _refuse(bilingual("Sign in to register applications"))
    user_id = (data_dict or {}).get("user_id")
    if user_id and not viewer.sysadmin:
        user = model.User.get(user_id)
        if user is None or user.id != viewer.user_id:
            return _refuse(bilingual("Only the application's owner may do this"))
    return {"success": True}


def govdata_app_show(context: Context, data_dict: DataDict) -> AuthResult:
    return _owner(context, data_dict)


def govdata_app_public_show(context: Context, data_dict: DataDict) -> AuthResult:
    """An application's name and owner, by its key: for data subjects who authorise it."""
    return _signed_in(context)


def govdata_app_update(context: Context, data_dict: DataDict) -> AuthResult:
    return _owner(context, data_dict)


def govdata_app_rotate(context: Context, data_dict: DataDict) -> AuthResult:
    return _owner(context, data_dict)


def govdata_app_revoke(context: Context, data_dict: DataDict) -> AuthResult:
    return _owner(context, data_dict)


def govdata_app_usage(context: Context, data_dict: DataDict) -> AuthResult:
    if (data_dict or {}).get("id"):
        return _owner(context, data_dict)
    return _signed_in(context)


def govdata_api_usage(context: Context, data_dict: DataDict) -> AuthResult:
    viewer = Viewer.from_context(context)
    if viewer.sysadmin:
        return {"success": True}
    organization = model.Group.get((data_dict or {}).get("organization_id") or "")
    if organization is not None and viewer.staff_of(organization.id):
        return {"success": True}
    return _refuse(bilingual("Only the department's staff may see the usage of its APIs"))
