"""Actions on developer applications (我的应用) and their keys.

A registered user creates an application and receives its key and secret; the secret is
returned by ``govdata_app_create`` and ``govdata_app_rotate`` only, and stored as a keyed hash.
Rotating issues a new secret (the old one stops working at once), revoking stops the key for
good, an expiry date stops it after that (local) day. The scope lists the data APIs the key may
call; an empty scope calls none (default-deny). Only the owner and sysadmins see or change an
application; only sysadmins change its plan.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps, calendar
from ckanext.govdata.calendar import utcnow
from ckanext.govdata.dataapi.keys import limits, secrets
from ckanext.govdata.dataapi.keys.logic import schema
from ckanext.govdata.dataapi.keys.logic.schema import _error
from ckanext.govdata.dataapi.keys.model import App
from ckanext.govdata.open_condition import Viewer
from ckanext.govdata.validators import rules

API_TYPE = "dataservice"


def _app_dict(app: App, secret: str | None = None) -> dict[str, Any]:
    result: dict[str, Any] = {
        "id": app.id,
        "user_id": app.user_id,
        "name": app.name,
        "description": app.description or "",
        "homepage": app.homepage or "",
        "key": app.key,
        "scope": list(app.scope or []),
        "plan": app.plan,
        "quota": _quota_dict(limits.plans().get(app.plan)),
        "expires_at": app.expires_at.isoformat() if app.expires_at else None,
        "revoked_at": app.revoked_at.isoformat() if app.revoked_at else None,
        "rotated_at": app.rotated_at.isoformat() if app.rotated_at else None,
        "created": app.created.isoformat(),
        "state": _state(app),
    }
    if secret is not None:
        result["secret"] = secret
    return result


def _quota_dict(quota: Any) -> dict[str, int] | None:
    return None if quota is None else {"per_second": quota.per_second, "per_day": quota.per_day}


def _state(app: App) -> str:
    if app.revoked_at is not None:
        return "revoked"
    if app.expires_at is not None and app.expires_at <= utcnow():
        return "expired"
    return "active"


def _scope(names: list[str]) -> list[str]:
    """The APIs named (by name or id) as their names; an unknown one is refused by name."""
    if len(names) > schema.MAX_SCOPE:
        raise tk.ValidationError({"scope": [_error("scope", "{field} lists at most {maximum} APIs", maximum=schema.MAX_SCOPE)]})
    found = []
    for name in names:
        package = model.Package.get(name)
        if package is None or package.type != API_TYPE or package.state != "active" or package.private:
            raise tk.ValidationError({"scope": [_error("scope", "{field} names no published API: {value}", value=name[:100])]})
        if package.name not in found:
            found.append(package.name)
    return found


def _expiry(day: dt.date | str | None) -> dt.datetime | None:
    """The end of local day ``day`` as naive UTC; the key works through that day (none if empty,
    as a form sends it)."""
    if not isinstance(day, dt.date):
        return None
    if day < calendar.today():
        raise tk.ValidationError({"expires_at": [_error("expires_at", "{field} must be today or later")]})
    return calendar.day_starts_at(day + dt.timedelta(days=1))


def _get_app(context: Context, data_dict: DataDict, action: str) -> App:
    data = action_steps.validate(data_dict, schema.id_schema(), context)
    app = model.Session.get(App, data["id"])
    if app is None:
        raise tk.ObjectNotFound(_error("id", "{field} names no application: {value}", value=str(data["id"])[:100]))
    tk.check_access(action, context, {"id": app.id})
    return app


@action_steps.atomic
def govdata_app_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Register an application and issue its key and secret (the secret is shown only now).

    :param name: the application's name
    :param description: what it does (optional)
    :param homepage: its http(s) URL (optional)
    :param scope: the data APIs (names or ids) the key may call: a list or comma-separated
    :param expires_at: the last day the key works, ``YYYY-MM-DD`` (optional)
    :returns: the application, with ``key`` and ``secret``
    """
    tk.check_access("govdata_app_create", context, data_dict)
    data = action_steps.validate(data_dict, schema.app_create_schema(), context)
    user = Viewer.from_context(context).user
    assert user is not None
    secret = secrets.new_secret()
    now = utcnow()
    app = App(
        user_id=user.id, name=data["name"], description=data.get("description") or None,
        homepage=data.get("homepage") or None, key=secrets.new_key(), secret_hash=secrets.hash_secret(secret),
        scope=_scope(data.get("scope") or []), plan=limits.DEFAULT_PLAN, expires_at=_expiry(data.get("expires_at")),
        created=now, modified=now,
    )
    model.Session.add(app)
    model.Session.flush()
    result = _app_dict(app, secret)
    action_steps.finish(context)
    return result


def govdata_app_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The caller's applications (a sysadmin may name another ``user_id``), newest first."""
    data = action_steps.validate(data_dict, schema.app_list_schema(), context)
    tk.check_access("govdata_app_list", context, data)
    viewer = Viewer.from_context(context)
    user_id = viewer.user_id
    if data.get("user_id"):
        user = model.User.get(data["user_id"])
        user_id = user.id if user is not None else data["user_id"]
    apps = model.Session.query(App).filter(App.user_id == user_id).order_by(App.created.desc()).all()
    return [_app_dict(app) for app in apps]


def govdata_app_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """One application (never its secret). :param id: the application's id"""
    return _app_dict(_get_app(context, data_dict, "govdata_app_show"))


@tk.side_effect_free
def govdata_app_public_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """What anyone signed in may know of an application from its public key (or id), so that a
    data subject can authorise it (``govdata_subject_grant_create``) and see whom they authorised:
    its id, key, name, homepage, owner and state — never its secret, scope or plan.

    :param id: the application's key (as its owner shows it) or id
    """
    data = action_steps.validate(data_dict, schema.id_schema(), context)
    tk.check_access("govdata_app_public_show", context, data)
    app = model.Session.query(App).filter(sa.or_(App.key == data["id"], App.id == data["id"])).one_or_none()
    if app is None:
        raise tk.ObjectNotFound(_error("id", "{field} names no application: {value}", value=str(data["id"])[:100]))
    owner = model.User.get(app.user_id)
    return {
        "id": app.id,
        "key": app.key,
        "name": app.name,
        "homepage": app.homepage or "",
        "owner_id": app.user_id,
        "owner_name": owner.name if owner else None,
        "owner_title": (owner.fullname or owner.name) if owner else None,
        "state": _state(app) if owner is not None and owner.state == "active" else "revoked",
    }


@action_steps.atomic
def govdata_app_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change an application's name, description, homepage, scope or expiry (and, for a
    sysadmin, its plan). ``expires_at`` empty removes the expiry."""
    app = _get_app(context, data_dict, "govdata_app_update")
    data = action_steps.validate(data_dict, schema.app_update_schema(), context)
    for field in ("name", "description", "homepage"):
        if field in data:
            if field == "name" and not data[field]:
                raise tk.ValidationError({"name": [_error("name", "{field} is required")]})
            setattr(app, field, data[field] or None if field != "name" else data[field])
    if "scope" in data:
        app.scope = _scope(data["scope"])
    if "expires_at" in data:
        try:
            day = rules.parse_date(data["expires_at"]) if data["expires_at"] else None
        except rules.RuleError as refused:
            raise tk.ValidationError({"expires_at": [_error("expires_at", refused.msgid, **refused.params)]}) from None
        app.expires_at = _expiry(day)
    if "plan" in data and data["plan"] != app.plan:
        if not Viewer.from_context(context).sysadmin:
            raise tk.NotAuthorized(_error("plan", "Only a sysadmin may change {field}"))
        if data["plan"] not in limits.plans():
            raise tk.ValidationError({"plan": [_error("plan", "{field} must be one of {choices}", choices=", ".join(limits.plans()))]})
        app.plan = data["plan"]
    app.modified = utcnow()
    result = _app_dict(app)
    action_steps.finish(context)
    return result


@action_steps.atomic
def govdata_app_rotate(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Issue a new secret for the application's key; the old secret stops working at once.

    :returns: the application with its new ``secret`` (shown only now)
    """
    app = _get_app(context, data_dict, "govdata_app_rotate")
    if app.revoked_at is not None:
        raise tk.ValidationError({"id": [_error("id", "A revoked key cannot be rotated: register a new application")]})
    secret = secrets.new_secret()
    app.secret_hash = secrets.hash_secret(secret)
    app.rotated_at = app.modified = utcnow()
    result = _app_dict(app, secret)
    action_steps.finish(context)
    return result


@action_steps.atomic
def govdata_app_revoke(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Revoke the application's key for good (calls with it answer 401)."""
    app = _get_app(context, data_dict, "govdata_app_revoke")
    if app.revoked_at is None:
        app.revoked_at = app.modified = utcnow()
    result = _app_dict(app)
    action_steps.finish(context)
    return result
