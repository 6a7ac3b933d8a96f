"""Reading grants: a user's valid grants by dataset, and grants as dicts for actions and pages."""
from __future__ import annotations

import datetime as dt
from typing import Any

import sqlalchemy as sa
from ckan import model

from ckanext.govdata import calendar
from ckanext.govdata.grants.model import AccessGrant
from ckanext.govdata.grants.validity import in_force, is_valid, status
from ckanext.govdata.validators import identity


def valid_by_package(user_id: str, on: dt.date, app_id: str | None = None) -> dict[str, list[AccessGrant]]:
    """All of the user's grants valid on ``on``, by dataset, oldest first (one query per page).

    Grants for one application count only when that application is the one calling (``app_id``);
    without it, no application's grant counts (default-deny: the owner's other paths).
    """
    valid: dict[str, list[AccessGrant]] = {}
    own: sa.ColumnElement[bool] = AccessGrant.app_id.is_(None)
    if app_id is not None:
        own = sa.or_(own, AccessGrant.app_id == app_id)
    query = (
        model.Session.query(AccessGrant)
        .filter(AccessGrant.user_id == user_id)
        .filter(own)
        .order_by(AccessGrant.created)
    )
    for grant in query:
        if is_valid(grant, on):
            valid.setdefault(grant.package_id, []).append(grant)
    return valid


def of_request(request_id: str) -> AccessGrant | None:
    return model.Session.query(AccessGrant).filter(AccessGrant.request_id == request_id).one_or_none()


def user_name(user_id: str | None) -> str | None:
    """The account name of ``user_id``, or None for no (or a deleted) user."""
    user = model.User.get(user_id) if user_id else None
    return user.name if user else None


def shown_row_filter(row_filter: dict[str, str] | None) -> dict[str, str] | None:
    """A grant's row filter as answers show it: a person's document number masked."""
    if not row_filter:
        return row_filter
    return dict(row_filter, value=identity.shown(row_filter.get("value"), row_filter.get("document_type")))


def grant_dict(grant: AccessGrant, today: dt.date | None = None) -> dict[str, Any]:
    today = today or calendar.today()
    package = model.Package.get(grant.package_id)
    return {
        "id": grant.id,
        "request_id": grant.request_id,
        "user_id": grant.user_id,
        "user_name": user_name(grant.user_id),
        "package_id": grant.package_id,
        "package_name": package.name if package else None,
        "package_title": package.title if package else None,
        "resource_ids": list(grant.resource_ids or []),
        "row_filter": shown_row_filter(grant.row_filter),
        "starts_on": grant.starts_on.isoformat(),
        "expires_on": grant.expires_on.isoformat(),
        "revoked_at": grant.revoked_at.isoformat() if grant.revoked_at else None,
        "revoked_by": user_name(grant.revoked_by),
        "revoke_reason": grant.revoke_reason,
        "source": grant.source,
        "note": grant.note,
        "app_id": grant.app_id,
        "status": status(grant, today),
        "in_force": in_force(grant, today),
    }
