"""What the demand actions share: the caller, a step in a demand's history, the rate limit."""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context
from flask import has_request_context, request

from ckanext.govdata import rate_limits, settings
from ckanext.govdata.calendar import utcnow
from ckanext.govdata.demands.logic.schema import _error
from ckanext.govdata.demands.model import Demand, DemandEvent
from ckanext.govdata.open_condition import Viewer


def viewer(context: Context) -> Viewer:
    return Viewer.from_context(context)


def record(demand: Demand, action: str, actor_id: str | None, from_state: str | None, note: str | None = None) -> None:
    model.Session.add(
        DemandEvent(
            demand_id=demand.id, action=action, actor_id=actor_id, from_state=from_state, to_state=demand.state,
            note=note, created=utcnow(),
        )
    )


def submission_limits() -> tuple[rate_limits.Limit, rate_limits.Limit]:
    options = settings.current().demands
    return (
        rate_limits.Limit("demand-user", options.submit_limit_per_user, options.submit_limit_window),
        rate_limits.Limit("demand-address", options.submit_limit_per_address, options.submit_limit_window),
    )


def check_submission_rate(context: Context, caller: Viewer) -> None:
    """Count a submission of ``caller`` (and of the web request's address); refuse it when the
    user or the address has used up the window. Bureau staff enter demands for others, and
    internal calls that skip auth (the demo load) are trusted: neither is limited."""
    if caller.sysadmin or caller.user_id is None or context.get("ignore_auth"):
        return
    per_user, per_address = submission_limits()
    keys = [(per_user, caller.user_id)]
    if has_request_context() and request.remote_addr:
        keys.append((per_address, request.remote_addr))
    if any(rate_limits.exceeded(limit, key) for limit, key in keys):
        minutes = max(1, round(rate_limits.retry_after(per_user) / 60))
        raise tk.ValidationError({"rate_limit": [_error(
            "rate_limit", "Too many demands submitted; try again in {minutes} minutes", minutes=minutes
        )]})
    for limit, key in keys:
        rate_limits.hit(limit, key)
