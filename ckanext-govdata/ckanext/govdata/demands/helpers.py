"""Template helpers of data demands."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ckan import model

from ckanext.govdata import open_condition, settings
from ckanext.govdata.demands import labels, workflow


def govdata_demand_allowed_operations(demand: dict[str, Any]) -> list[str]:
    """What the signed-in user may do with a demand now (the workflow table decides)."""
    return workflow.allowed_operations(demand, open_condition.Viewer.current())


def govdata_demand_is_staff() -> bool:
    """Bureau staff or a department's editors and admins: they see the queue and the ledger."""
    viewer = open_condition.Viewer.current()
    return viewer.sysadmin or bool(viewer.staff_orgs())


def govdata_demand_departments() -> list[dict[str, str]]:
    """Active departments, by title, for the form's suggestion and the bureau's routing."""
    rows = (
        model.Session.query(model.Group.id, model.Group.name, model.Group.title)
        .filter(model.Group.is_organization.is_(True), model.Group.state == "active")
        .order_by(model.Group.title)
    )
    return [{"id": row.id, "name": row.name, "title": row.title} for row in rows]


def govdata_demand_states() -> tuple[str, ...]:
    return workflow.STATES


def govdata_demand_public_states() -> tuple[str, ...]:
    return workflow.PUBLIC_STATES


def govdata_demand_limits() -> dict[str, int]:
    """The working days a department has to confirm and to provide."""
    options = settings.current().demands
    return {"confirm": options.confirm_limit_days, "provide": options.provide_limit_days}


def all_helpers() -> dict[str, Callable[..., Any]]:
    return {
        "govdata_demand_state_label": labels.state_label,
        "govdata_demand_step_label": labels.step_label,
        "govdata_demand_notice_label": labels.notice_label,
        "govdata_demand_timeliness_label": labels.timeliness_label,
        "govdata_demand_allowed_operations": govdata_demand_allowed_operations,
        "govdata_demand_is_staff": govdata_demand_is_staff,
        "govdata_demand_departments": govdata_demand_departments,
        "govdata_demand_states": govdata_demand_states,
        "govdata_demand_public_states": govdata_demand_public_states,
        "govdata_demand_limits": govdata_demand_limits,
    }
