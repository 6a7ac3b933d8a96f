"""Actions on demands (数据需求): submit, route, confirm, provide, withdraw, support, show, list.

Every state change happens in one transaction with the row locked, so two people cannot act on
a demand at once; the mails of a step go out once it is committed.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps, calendar, settings
from ckanext.govdata.calendar import utcnow
from ckanext.govdata.demands import dictization, notify, queries, workflow
from ckanext.govdata.demands.logic import common, schema
from ckanext.govdata.demands.logic.schema import _error
from ckanext.govdata.demands.model import Demand, DemandSupport
from ckanext.govdata.demands.workflow import ALREADY_OPEN, DECLINED, ROUTED, SUBMITTED


def _department(field: str, value: str) -> model.Group:
    department = model.Group.get(value)
    if department is None or not department.is_organization or department.state != "active":
        raise tk.ValidationError({field: [_error(field, "{field} not found: {value}", value=value)]})
    return department


def _public_dataset(context: Context, package_id: str, resource_id: str | None) -> tuple[model.Package, str | None]:
    """The dataset (and resource) that answers a demand: it must be published, for everyone to
    follow the link."""
    package = model.Package.get(package_id)
    if package is None or package.state != "active" or package.private:
        raise tk.ValidationError({"package_id": [_error(
            "package_id", "{field} must be a published dataset: {value}", value=package_id
        )]})
    if resource_id:
        resource = model.Resource.get(resource_id)
        if resource is None or resource.package_id != package.id or resource.state != "active":
            raise tk.ValidationError({"resource_id": [_error(
                "resource_id", "{field} is not a resource of the dataset: {value}", value=resource_id
            )]})
        return package, resource.id
    return package, None


def _shown(demand: Demand, context: Context, detail: bool = True) -> dict[str, Any]:
    caller = common.viewer(context)
    supported = demand.id in queries.supported_by(caller.user_id, [demand.id])
    return dictization.demand_dict(demand, caller, supported=supported, detail=detail)


@action_steps.atomic
def govdata_demand_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a demand for data the portal does not publish yet.

    :param title: the data wanted
    :param description: what the data should hold (items, period, area, format)
    :param purpose: what it is for
    :param domain: suggested open domain (optional)
    :param suggested_organization_id: suggested department (optional, id or name)
    :param contact_name: whom the department may contact
    :param contact_phone, contact_email: at least one of them

    Rate-limited per user and per network address (``ckanext.govdata.demands.submit_limit_*``).
    """
    tk.check_access("govdata_demand_create", context, data_dict)
    caller = common.viewer(context)
    assert caller.user_id is not None
    # Every refused field at once: the form's and the content's (a contact, the department).
    data, errors = tk.navl_validate(dict(data_dict), schema.demand_create_schema(), context)
    if not data.get("contact_phone") and not data.get("contact_email") and not (
        errors.get("contact_phone") or errors.get("contact_email")
    ):
        errors["contact_phone"] = [_error("contact_phone", "Give a contact phone or a contact email")]
    suggested = None
    if data.get("suggested_organization_id") and not errors.get("suggested_organization_id"):
        try:
            suggested = _department("suggested_organization_id", data["suggested_organization_id"]).id
        except tk.ValidationError as refused:
            errors.update(refused.error_dict)
    if errors:
        raise tk.ValidationError(errors)
    common.check_submission_rate(context, caller)

    now = utcnow()
    demand = Demand(
        user_id=caller.user_id, title=data["title"], description=data["description"], purpose=data["purpose"],
        domain=data.get("domain"), suggested_organization_id=suggested, contact_name=data["contact_name"],
        contact_phone=data.get("contact_phone"), contact_email=data.get("contact_email"), state=SUBMITTED,
        submitted_at=now, supporters=0, created=now, modified=now,
    )
    model.Session.add(demand)
    model.Session.flush()
    common.record(demand, "submitted", caller.user_id, None)
    outbox = notify.Outbox()
    outbox.tell(notify.bureau_ids(), demand, "new_demand")
    action_steps.finish(context)
    outbox.send()
    return _shown(demand, context)


@tk.side_effect_free
def govdata_demand_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A demand with its timeline; the requester's details only to the requester, the bureau
    and the department it was routed to."""
    data = action_steps.validate(data_dict, schema.demand_id_schema(), context)
    demand = queries.get_demand(data["id"])
    tk.check_access("govdata_demand_show", context, {"id": demand.id})
    return _shown(demand, context)


@tk.side_effect_free
def govdata_demand_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Demands, newest first (or by support).

    :param scope: ``public`` (default: routed demands, without the requester's details), ``mine``
        (the caller's own) or ``queue`` (the caller's departments'; every one for bureau staff)
    :param state: one state or several separated by commas
    :param organization_id, domain, q, overdue: filters
    :param sort: ``newest`` (default) or ``supporters``
    :param limit, offset: paging (default 50)
    """
    data = action_steps.validate(data_dict, schema.demand_list_schema(), context)
    tk.check_access("govdata_demand_list", context, data)
    caller = common.viewer(context)
    query = queries.filtered(queries.scoped(caller, data.get("scope") or "public"), data)
    count = query.count()
    rows = queries.ordered(query, data.get("sort")).offset(data.get("offset") or 0).limit(data.get("limit") or 50).all()
    supported = queries.supported_by(caller.user_id, [row.id for row in rows])
    return {
        "count": count,
        "results": [dictization.demand_dict(row, caller, supported=row.id in supported) for row in rows],
    }


def _route_deadlines(demand: Demand) -> None:
    options = settings.current().demands
    routed_on = calendar.today()
    demand.routed_at = utcnow()
    demand.confirm_due = calendar.add_workdays(routed_on, options.confirm_limit_days)
    demand.provide_due = calendar.add_workdays(routed_on, options.provide_limit_days)


@action_steps.atomic
def govdata_demand_route(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The bureau routes a demand to a department (again, while it is not confirmed), which
    starts its deadlines, or dismisses it with a reason.

    :param outcome: ``route`` (default) or ``dismiss``
    :param organization_id: the department (to route)
    :param reason: a note to the department, or why the demand is dismissed (required)
    """
    data = action_steps.validate(data_dict, schema.demand_route_schema(), context)
    demand = queries.get_demand(data["id"], lock=True)
    tk.check_access("govdata_demand_route", context, {"id": demand.id})
    operation = workflow.operation_for("govdata_demand_route", data)
    next_state = workflow.transition(demand, operation.name)
    assert next_state is not None  # routing has no settled states
    actor = common.viewer(context).user_id
    from_state = demand.state
    outbox = notify.Outbox()
    if operation.name == "dismiss":
        if not data.get("reason"):
            raise tk.ValidationError({"reason": [_error("reason", "{field} is required")]})
        demand.state, demand.reason = next_state, data["reason"]
        common.record(demand, "dismissed", actor, from_state, data["reason"])
        outbox.tell([demand.user_id], demand, "dismissed")
    else:
        if not data.get("organization_id"):
            raise tk.ValidationError({"organization_id": [_error("organization_id", "{field} is required")]})
        department = _department("organization_id", data["organization_id"])
        rerouted = from_state == ROUTED
        if rerouted and department.id == demand.organization_id:
            raise tk.ValidationError({"organization_id": [_error(
                "organization_id", "The demand is routed to this department already"
            )]})
        demand.state, demand.organization_id = next_state, department.id
        _route_deadlines(demand)
        common.record(demand, "rerouted" if rerouted else "routed", actor, from_state,
                      data.get("reason") or department.title)
        outbox.tell(notify.department_ids(department.id), demand, "to_confirm")
        outbox.tell([demand.user_id], demand, "routed")
    action_steps.finish(context)
    outbox.send()
    return _shown(demand, context)


@action_steps.atomic
def govdata_demand_confirm(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The department confirms a demand routed to it, within its confirmation deadline.

    :param decision: ``accept`` (it will provide the data), ``decline`` (with ``reason``) or
        ``already_open`` (with ``package_id`` of the published dataset, optionally ``resource_id``)
    """
    data = action_steps.validate(data_dict, schema.demand_confirm_schema(), context)
    demand = queries.get_demand(data["id"], lock=True)
    tk.check_access("govdata_demand_confirm", context, {"id": demand.id})
    next_state = workflow.transition(demand, workflow.operation_for("govdata_demand_confirm", data).name)
    if next_state is None:
        action_steps.finish(context)
        return _shown(demand, context)
    if next_state == DECLINED and not data.get("reason"):
        raise tk.ValidationError({"reason": [_error("reason", "{field} is required")]})
    if next_state == ALREADY_OPEN:
        if not data.get("package_id"):
            raise tk.ValidationError({"package_id": [_error("package_id", "{field} is required")]})
        package, resource_id = _public_dataset(context, data["package_id"], data.get("resource_id"))
        demand.package_id, demand.resource_id = package.id, resource_id
    actor = common.viewer(context).user_id
    from_state = demand.state
    demand.state = next_state
    demand.confirmed_at = utcnow()
    demand.reason = data.get("reason")
    if next_state == ALREADY_OPEN:
        # Pointing to open data answers the demand: it is provided at once.
        demand.provided_at = demand.confirmed_at
    common.record(demand, next_state, actor, from_state, data.get("reason"))
    outbox = notify.Outbox()
    outbox.tell([demand.user_id], demand, next_state)
    action_steps.finish(context)
    outbox.send()
    return _shown(demand, context)


@action_steps.atomic
def govdata_demand_provide(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The department provides the data of an accepted demand: the published dataset (and
    resource) that holds it.

    :param package_id: the dataset (id or name); :param resource_id: optional
    """
    data = action_steps.validate(data_dict, schema.demand_provide_schema(), context)
    demand = queries.get_demand(data["id"], lock=True)
    tk.check_access("govdata_demand_provide", context, {"id": demand.id})
    next_state = workflow.transition(demand, "provide")
    assert next_state is not None  # provision has no settled states
    package, resource_id = _public_dataset(context, data["package_id"], data.get("resource_id"))
    from_state = demand.state
    demand.state = next_state
    demand.package_id, demand.resource_id = package.id, resource_id
    demand.provided_at = utcnow()
    if data.get("reason"):
        demand.reason = data["reason"]
    common.record(demand, "provided", common.viewer(context).user_id, from_state, package.title)
    outbox = notify.Outbox()
    outbox.tell([demand.user_id], demand, "provided")
    action_steps.finish(context)
    outbox.send()
    return _shown(demand, context)


@action_steps.atomic
def govdata_demand_withdraw(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The requester takes back a demand not confirmed yet."""
    data = action_steps.validate(data_dict, schema.demand_withdraw_schema(), context)
    demand = queries.get_demand(data["id"], lock=True)
    tk.check_access("govdata_demand_withdraw", context, {"id": demand.id})
    next_state = workflow.transition(demand, "withdraw")
    if next_state is not None:
        from_state = demand.state
        demand.state = next_state
        common.record(demand, next_state, common.viewer(context).user_id, from_state, data.get("reason"))
    action_steps.finish(context)
    return _shown(demand, context)


@action_steps.atomic
def govdata_demand_support(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Add the caller's support (+1) to a demand the department works on; once per user
    (supporting again changes nothing)."""
    data = action_steps.validate(data_dict, schema.demand_id_schema(), context)
    demand = queries.get_demand(data["id"], lock=True)
    tk.check_access("govdata_demand_support", context, {"id": demand.id})
    caller = common.viewer(context)
    if not workflow.may_support(demand, caller):
        raise tk.ValidationError({"id": [_error("id", "Only a demand the department is working on can be supported")]})
    assert caller.user_id is not None
    inserted = model.Session.execute(
        sa.dialects.postgresql.insert(DemandSupport)
        .values(demand_id=demand.id, user_id=caller.user_id, created=utcnow())
        .on_conflict_do_nothing()
    )
    if inserted.rowcount:
        demand.supporters = (demand.supporters or 0) + 1
    action_steps.finish(context)
    return _shown(demand, context, detail=False)

