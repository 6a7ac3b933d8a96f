"""What the feedback actions share: the caller, the published dataset asked about, a step in a
report's history, and the report form's rate limit."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context
from flask import has_request_context, request

from ckanext.govdata import rate_limits, settings
from ckanext.govdata.calendar import utcnow
from ckanext.govdata.feedback.logic.schema import _error
from ckanext.govdata.feedback.model import Correction, CorrectionEvent
from ckanext.govdata.open_condition import Viewer

# Feedback is taken on the catalogue's own types only (not showcases).
PACKAGE_TYPES = ("dataset", "dataservice")


def viewer(context: Context) -> Viewer:
    return Viewer.from_context(context)


def published_dataset(package_ref: str, field: str = "package_id") -> model.Package:
    """The published dataset or API interface ``package_ref`` names. An unknown, deleted or
    unpublished one is refused with the same words, so a refusal never tells an outsider that
    a draft exists."""
    package = model.Package.get(package_ref) if isinstance(package_ref, str) else None
    if package is None or package.state != "active" or package.private or package.type not in PACKAGE_TYPES:
        raise tk.ValidationError({field: [
            _error(field, "{field} names no published dataset or API: {value}", value=str(package_ref)[:100])
        ]})
    return package


def record(correction: Correction, action: str, actor_id: str | None, from_state: str | None,
           note: str | None = None) -> None:
    model.Session.add(
        CorrectionEvent(
            correction_id=correction.id, action=action, actor_id=actor_id, from_state=from_state,
            to_state=correction.state, note=note, created=utcnow(),
        )
    )


def report_limits() -> tuple[rate_limits.Limit, rate_limits.Limit]:
    options = settings.current().feedback
    return (
        rate_limits.Limit("correction-user", options.report_limit_per_user, options.report_limit_window),
        rate_limits.Limit("correction-address", options.report_limit_per_address, options.report_limit_window),
    )


def check_report_rate(caller: Viewer) -> None:
    """Count a report of ``caller`` (and of the web request's address); refuse it when the user
    or the address has used up the window. Bureau staff are not limited."""
    if caller.sysadmin or caller.user_id is None:
        return
    per_user, per_address = report_limits()
    keys = [(per_user, caller.user_id)]
    if has_request_context() and request.remote_addr:
        keys.append((per_address, request.remote_addr))
    if any(rate_limits.exceeded(limit, key) for limit, key in keys):
        minutes = max(1, round(rate_limits.retry_after(per_user) / 60))
        raise tk.ValidationError({"rate_limit": [_error(
            "rate_limit", "Too many error reports sent; try again in {minutes} minutes", minutes=minutes
        )]})
    for limit, key in keys:
        rate_limits.hit(limit, key)


def departments_asked(context: Context, data: dict[str, Any]) -> list[str] | None:
    """The departments whose figures the caller asked for and may see (None: every one)."""
    caller = viewer(context)
    allowed = None if caller.sysadmin else sorted(caller.staff_orgs())
    if not data.get("organization_id"):
        return allowed
    organization = model.Group.get(data["organization_id"])
    if organization is None or not organization.is_organization or (allowed is not None and organization.id not in allowed):
        raise tk.ValidationError({"organization_id": [
            _error("organization_id", "{field} not found: {value}", value=str(data["organization_id"])[:100])
        ]})
    return [organization.id]
