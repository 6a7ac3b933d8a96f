"""Finding demands: by id (locked for a change), by the caller's scope, by the list filters."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.govdata import calendar
from ckanext.govdata.demands import workflow
from ckanext.govdata.demands.logic.schema import _error
from ckanext.govdata.demands.model import Demand, DemandSupport
from ckanext.govdata.open_condition import Viewer


def get_demand(demand_id: str, lock: bool = False) -> Demand:
    query = model.Session.query(Demand).filter(Demand.id == demand_id)
    if lock:
        query = query.with_for_update()
    found = query.one_or_none()
    if found is None:
        raise tk.ObjectNotFound(_error("id", "{field} not found: {value}", value=demand_id))
    return found


def scoped(viewer: Viewer, scope: str) -> Any:
    """``public``: routed demands for everyone; ``mine``: the caller's own; ``queue``: those the
    caller's departments were routed (every one for bureau staff)."""
    query = model.Session.query(Demand)
    if scope == "mine":
        return query.filter(Demand.user_id == viewer.user_id)
    if scope == "queue":
        if viewer.sysadmin:
            return query
        return query.filter(Demand.organization_id.in_(sorted(viewer.staff_orgs()) or [""]))
    return query.filter(Demand.state.in_(workflow.PUBLIC_STATES))


def overdue_clause(today: Any) -> Any:
    return sa.or_(
        sa.and_(Demand.state == workflow.ROUTED, Demand.confirm_due < today),
        sa.and_(Demand.state == workflow.ACCEPTED, Demand.provide_due < today),
    )


def filtered(query: Any, data: dict[str, Any]) -> Any:
    if data.get("state"):
        query = query.filter(Demand.state.in_(str(data["state"]).split(",")))
    if data.get("organization_id"):
        organization = model.Group.get(data["organization_id"])
        query = query.filter(Demand.organization_id == (organization.id if organization else data["organization_id"]))
    if data.get("domain"):
        query = query.filter(Demand.domain == data["domain"])
    if data.get("q"):
        pattern = "%" + data["q"].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.filter(sa.or_(Demand.title.ilike(pattern), Demand.description.ilike(pattern)))
    if data.get("overdue"):
        query = query.filter(overdue_clause(calendar.today()))
    return query


def ordered(query: Any, sort: str | None) -> Any:
    if sort == "supporters":
        return query.order_by(Demand.supporters.desc(), Demand.submitted_at.desc())
    return query.order_by(Demand.submitted_at.desc(), Demand.id)


def supported_by(user_id: str | None, demand_ids: list[str]) -> set[str]:
    """Which of ``demand_ids`` the user supports."""
    if user_id is None or not demand_ids:
        return set()
    rows = model.Session.query(DemandSupport.demand_id).filter(
        DemandSupport.user_id == user_id, DemandSupport.demand_id.in_(demand_ids)
    )
    return {row[0] for row in rows}
