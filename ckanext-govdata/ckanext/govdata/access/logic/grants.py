"""Actions on grants: list them, revoke one."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps, calendar, grants, request_scope
from ckanext.govdata.access import queries
from ckanext.govdata.access.logic import common, schema
from ckanext.govdata.access.logic.schema import _error
from ckanext.govdata.calendar import utcnow
from ckanext.govdata.grants import AccessGrant


@tk.side_effect_free
def govdata_access_grant_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Grants: the caller's own (``scope=mine``) or those of the caller's departments (``review``)."""
    data = action_steps.validate(data_dict, schema.grant_list_schema(), context)
    tk.check_access("govdata_access_grant_list", context, data)
    viewer = common.viewer(context)
    query = model.Session.query(AccessGrant)
    if (data.get("scope") or "mine") == "mine":
        query = query.filter(AccessGrant.user_id == viewer.user_id)
    elif not viewer.sysadmin:
        owned = model.Session.query(model.Package.id).filter(
            model.Package.owner_org.in_(sorted(viewer.staff_orgs()) or [""])
        )
        query = query.filter(AccessGrant.package_id.in_(owned))
    if data.get("package_id"):
        package = model.Package.get(data["package_id"])
        query = query.filter(AccessGrant.package_id == (package.id if package else data["package_id"]))
    today = calendar.today()
    listed = query.order_by(AccessGrant.created.desc())
    return [
        grants.grant_dict(grant, today) for grant in listed
        if data.get("include_inactive") or grants.in_force(grant, today)
    ]


@action_steps.atomic
def govdata_access_grant_revoke(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """End a grant before it expires (the reason goes into the request's history)."""
    data = action_steps.validate(data_dict, schema.grant_revoke_schema(), context)
    grant = model.Session.query(AccessGrant).filter(AccessGrant.id == data["id"]).with_for_update().one_or_none()
    if grant is None:
        raise tk.ObjectNotFound(_error("id", "{field} not found: {value}", value=data["id"]))
    tk.check_access("govdata_access_grant_revoke", context, {"id": grant.id})
    if grant.revoked_at is not None:
        action_steps.finish(context)
        return grants.grant_dict(grant)
    actor = common.viewer(context).user_id
    grant.revoked_at = utcnow()
    grant.revoked_by = actor
    grant.revoke_reason = data["reason"]
    if grant.request_id:
        request = queries.get_request(grant.request_id)
        common.record(request, "revoked", actor, request.state, data["reason"])
    action_steps.finish(context)
    request_scope.forget(request_scope.VIEWERS)
    return grants.grant_dict(grant)
