"""A subject authorises a named third party to use their rows of one dataset, for a purpose and
a period, and revokes it.

The grant is the access workflow's own kind (``grants.AccessGrant``) with the subject's row
filter, so every data path (datastore_search, its dump, downloads) applies and logs it as any
data-subject grant. Its ``source`` is ``subject:<subject id>``, its ``note`` the purpose.

The grantee is a user of the portal or one application (an app key of govdata_devkeys, named by
its public key). A grant for an application belongs to the application's owner and carries its
``app_id``: it is in force only for calls made with that key through the data API
(``open_condition.Viewer.for_app``), never for the owner's other paths. ``_grantee`` is the one
place that turns the ``grantee`` parameter into the user (and application) a grant belongs to.
"""
from __future__ import annotations

import datetime as dt
from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps, calendar, open_condition, request_scope, settings
from ckanext.govdata.calendar import utcnow
from ckanext.govdata.grants import AccessGrant, in_force
from ckanext.govdata.open_condition import Viewer
from ckanext.govdata.subjects import applications, queries
from ckanext.govdata.subjects.logic.schema import _error, grant_create_schema, grant_list_schema, grant_revoke_schema
from ckanext.govdata.subjects.model import Subject


def _refused(message: str) -> tk.ValidationError:
    return tk.ValidationError({"grantee": [message]})


def _grantee(grantee: str, subject: Subject) -> tuple[model.User, dict[str, Any] | None]:
    """The user the grant belongs to and, when ``grantee`` is an application's key (or id), the
    application. Applications are looked for first: a user could register a key as their name."""
    app = applications.find(grantee)
    if app is not None:
        if app["state"] == "revoked":
            raise _refused(_error("grantee", "{field}: the application {name} has been revoked", name=app["name"]))
        if app["state"] == "expired":
            raise _refused(_error("grantee", "{field}: the key of the application {name} has expired", name=app["name"]))
        if app["owner_id"] == subject.user_id:
            raise _refused(_error("grantee", "{field}: {name} is your own application; you already see your own rows",
                                  name=app["name"]))
        owner = model.User.get(app["owner_id"])
        if owner is None or owner.state != "active":
            raise _refused(_error("grantee", "{field}: the application {name} has been revoked", name=app["name"]))
        return owner, app
    user = model.User.get(grantee)
    if user is None or user.state != "active":
        raise _refused(_error("grantee", "{field} names no user or application of the portal: {value}",
                              value=grantee[:100]))
    if user.id == subject.user_id:
        raise _refused(_error("grantee", "{field}: you already see your own rows"))
    return user, None


def _period(data: dict[str, Any]) -> tuple[dt.date, dt.date]:
    today = calendar.today()
    starts_on = data.get("starts_on") or today
    expires_on = data["expires_on"]
    if starts_on < today:
        raise tk.ValidationError({"starts_on": [_error("starts_on", "{field} cannot be in the past")]})
    if expires_on < starts_on:
        raise tk.ValidationError({"expires_on": [_error("expires_on", "{field} must not be before the start")]})
    longest = settings.current().subjects.max_grant_days
    if (expires_on - starts_on).days > longest:
        raise tk.ValidationError({"expires_on": [_error(
            "expires_on", "{field}: a grant lasts at most {days} days", days=longest
        )]})
    return starts_on, expires_on


@action_steps.atomic
def govdata_subject_grant_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Authorise ``grantee`` to use the subject's rows of a conditional dataset for ``purpose``
    from ``starts_on`` (default today) until ``expires_on``.

    :param grantee: a user's name or id, or an application's key (its calls with that key alone)
    """
    data = action_steps.validate(data_dict, grant_create_schema(), context)
    tk.check_access("govdata_subject_grant_create", context, data)
    subject = model.Session.get(Subject, data["subject_id"])
    assert subject is not None
    package = model.Package.get(data["package_id"])
    if package is None or package.id not in {item.id for item in queries.subject_datasets(subject.kind)}:
        raise tk.ValidationError({"package_id": [_error(
            "package_id", "{field} holds no rows about subjects like you: {value}", value=data["package_id"][:100]
        )]})
    if open_condition.condition_of(package) != open_condition.CONDITIONAL:
        raise tk.ValidationError({"package_id": [_error(
            "package_id", "{field}: only conditionally open data is granted; this dataset is open to everyone"
        )]})
    user, app = _grantee(data["grantee"], subject)
    starts_on, expires_on = _period(data)
    grant = AccessGrant(
        user_id=user.id, app_id=app["id"] if app else None, package_id=package.id, resource_ids=[],
        row_filter={"column": package.extras["subject_id_column"], "value": subject.number},
        starts_on=starts_on, expires_on=expires_on, source=queries.grant_source(subject), note=data["purpose"],
        created=utcnow(),
    )
    model.Session.add(grant)
    action_steps.finish(context)
    request_scope.forget(request_scope.VIEWERS)
    return queries.subject_grant_dict(grant)


@tk.side_effect_free
def govdata_subject_grant_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The grants the caller's subjects (or the one ``subject_id``) issued, newest first; in
    force only unless ``include_inactive``."""
    data = action_steps.validate(data_dict, grant_list_schema(), context)
    tk.check_access("govdata_subject_grant_list", context, data)
    subjects = queries.subjects_of(Viewer.from_context(context).user_id or "")
    sources = [queries.grant_source(s) for s in subjects if not data.get("subject_id") or s.id == data["subject_id"]]
    today = calendar.today()
    listed = (
        model.Session.query(AccessGrant)
        .filter(AccessGrant.source.in_(sources or [""]))
        .order_by(AccessGrant.created.desc())
    )
    return [
        queries.subject_grant_dict(grant, today) for grant in listed
        if data.get("include_inactive") or in_force(grant, today)
    ]


@action_steps.atomic
def govdata_subject_grant_revoke(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """End a grant the caller's subject issued; the grantee sees none of the rows from now on."""
    data = action_steps.validate(data_dict, grant_revoke_schema(), context)
    tk.check_access("govdata_subject_grant_revoke", context, data)
    grant = model.Session.query(AccessGrant).filter(AccessGrant.id == data["id"]).with_for_update().one()
    if grant.revoked_at is None:
        grant.revoked_at = utcnow()
        grant.revoked_by = Viewer.from_context(context).user_id
        grant.revoke_reason = data.get("reason") or tk._("Revoked by the data subject")
    action_steps.finish(context)
    request_scope.forget(request_scope.VIEWERS)
    return queries.subject_grant_dict(grant)
