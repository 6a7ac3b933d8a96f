"""Actions on requests (申请): apply, change, submit, check, decide, withdraw, list and count.

Every state change happens in one transaction with the row locked, so a request is never
half-approved and two reviewers cannot act on it at once.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context, DataDict

from ckanext.govdata import action_steps, calendar, open_condition, request_scope
from ckanext.govdata.access import attachments as attachment_store
from ckanext.govdata.access import dictization, notify, queries, workflow
from ckanext.govdata.access.logic import common, request_content, schema
from ckanext.govdata.access.logic.schema import _error
from ckanext.govdata.access.model import AccessRequest
from ckanext.govdata.access.workflow import APPROVED, DEPARTMENT_REVIEW, DRAFT, OPEN_STATES, REJECTED
from ckanext.govdata.calendar import utcnow
from ckanext.govdata.grants import AccessGrant
from ckanext.govdata.messages import bilingual
from ckanext.govdata.validators import grades


def _submit(request: AccessRequest, actor_id: str) -> None:
    """Submit (again), starting the deadline; a request submitted already stays as it is."""
    next_state = workflow.transition(request, "submit")
    if next_state is None:
        return
    from_state = request.state
    package = model.Package.get(request.package_id)
    request.state = next_state
    request.submitted_at = utcnow()
    request.platform_holds_data = request_content.platform_holds_data(package, list(request.resource_ids or []))
    request.limit_days = request_content.limit_days(request.platform_holds_data)
    request.due_date = calendar.add_workdays(calendar.today(), request.limit_days)
    request.decided_at = None
    request.decision_reason = None
    common.record(request, "submitted", actor_id, from_state)


@action_steps.atomic
def govdata_access_request_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Apply for the data of a conditional dataset.

    :param package_id: the dataset (id or name)
    :param resource_ids: resources wanted (all when empty)
    :param applicant_type: ``person`` or ``organisation``
    :param applicant_name: real name, or the organisation's name
    :param credit_code: unified social credit code (organisations), checked with its check digit
    :param purpose, scenario, commitments: what for, in which use, under which security commitments
    :param period_start, period_end: requested period of use (``YYYY-MM-DD``)
    :param fields_needed: data items needed
    :param agreement_accepted: must be true (the department's use agreement)
    :param subject_id, subject_consent: for personal or enterprise data, whose rows and how the
        subject consented (``self`` or ``authorisation`` with the authorisation attached)
    :param attachments: uploaded files (PDF, JPEG, PNG)
    :param submit: submit at once (default false: a draft)

    Asking again with the same content returns the same request.
    """
    uploads = attachment_store.uploads(data_dict.get("attachments"))
    data = action_steps.validate({k: v for k, v in data_dict.items() if k != "attachments"}, schema.request_create_schema(),
                     context)
    tk.check_access("govdata_access_request_create", context, data)
    viewer = common.viewer(context)
    assert viewer.user is not None
    package = request_content.dataset_for_request(context, data["package_id"])
    checked = [attachment_store.check(upload) for upload in uploads]
    errors = request_content.check_content(data, package, uploads)
    if errors:
        raise tk.ValidationError(errors)

    request_content.lock_applicant_dataset(viewer.user.id, package.id)
    fingerprint = request_content.fingerprint(viewer.user.id, package.id, data)
    existing = (
        model.Session.query(AccessRequest)
        .filter(AccessRequest.user_id == viewer.user.id, AccessRequest.package_id == package.id)
        .filter(AccessRequest.state.in_(OPEN_STATES))
        .with_for_update()
        .one_or_none()
    )
    if existing is not None:
        if existing.fingerprint != fingerprint:
            raise tk.ValidationError({"package_id": [_error(
                "package_id", "You already have an open request for this dataset; change or withdraw it instead"
            )]})
        if data.get("submit"):
            _submit(existing, viewer.user.id)
        action_steps.finish(context)
        return dictization.request_dict(existing)

    request = AccessRequest(
        user_id=viewer.user.id, package_id=package.id, organization_id=package.owner_org, state=DRAFT,
        fingerprint=fingerprint, attachments=[], created=utcnow(),
    )
    request_content.apply_content(request, data)
    model.Session.add(request)
    model.Session.flush()
    common.record(request, "created", viewer.user.id, None)
    try:
        request_content.store_uploads(request, uploads, checked)
        if data.get("submit"):
            _submit(request, viewer.user.id)
        action_steps.finish(context)
    except Exception:
        # The caller rolls the transaction back; the files are not part of it.
        attachment_store.remove_all(request.id)
        raise
    return dictization.request_dict(request)


@action_steps.atomic
def govdata_access_request_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a draft or a request returned for more information (same fields as create).

    Attachments given here are added to those already there.
    """
    uploads = attachment_store.uploads(data_dict.get("attachments"))
    data = action_steps.validate(
        {k: v for k, v in data_dict.items() if k not in ("attachments", "id")}, schema.request_create_schema(),
        context,
    )
    request_id = action_steps.validate({"id": data_dict.get("id")}, schema.request_id_schema(), context)["id"]
    request = queries.get_request(request_id, lock=True)
    tk.check_access("govdata_access_request_update", context, {"id": request.id})
    workflow.transition(request, "update")
    package = model.Package.get(request.package_id)
    if data["package_id"] not in (package.id, package.name):
        raise tk.ValidationError({"package_id": [_error("package_id", "{field} cannot be changed")]})
    package = request_content.dataset_for_request(context, package.id)
    request_content.keep_stored_subject(request, data)
    checked = [attachment_store.check(upload) for upload in uploads]
    errors = request_content.check_content(data, package, uploads + list(request.attachments or []))
    if errors:
        raise tk.ValidationError(errors)
    viewer = common.viewer(context)
    request_content.apply_content(request, data)
    request.fingerprint = request_content.fingerprint(request.user_id, package.id, data)
    common.record(request, "updated", viewer.user_id, request.state)
    request_content.store_uploads(request, uploads, checked)
    if data.get("submit"):
        _submit(request, request.user_id)
    action_steps.finish(context)
    return dictization.request_dict(request)


@tk.side_effect_free
def govdata_access_request_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A request with its history (台账 steps) and its grant."""
    data = action_steps.validate(data_dict, schema.request_id_schema(), context)
    request = queries.get_request(data["id"])
    tk.check_access("govdata_access_request_show", context, {"id": request.id})
    return dictization.request_dict(request, detail=True)


@tk.side_effect_free
def govdata_access_request_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Requests the caller may see, newest first.

    :param scope: ``mine`` (default, the caller's own) or ``review`` (those of the caller's
        departments; every one for sysadmins)
    :param state: one state or several separated by commas
    :param organization_id, package_id, overdue, date_from, date_to: filters (dates of submission)
    :param limit, offset: paging (default 50)
    """
    data = action_steps.validate(data_dict, schema.request_list_schema(), context)
    tk.check_access("govdata_access_request_list", context, data)
    query = queries.filtered(queries.scoped(common.viewer(context), data.get("scope") or "mine"), data)
    count = query.count()
    rows = (
        query.order_by(AccessRequest.submitted_at.desc().nullsfirst(), AccessRequest.created.desc())
        .offset(data.get("offset") or 0)
        .limit(data.get("limit") or 50)
        .all()
    )
    return {"count": count, "results": [dictization.request_dict(row) for row in rows]}


@tk.side_effect_free
def govdata_access_request_counts(context: Context, data_dict: DataDict) -> dict[str, int]:
    """How many requests are in each state: all of them, or one department's.

    :param organization_id: the department (id or name); default every request
    :returns: ``{state: count}``, states without requests left out
    """
    data = action_steps.validate(data_dict, schema.request_counts_schema(), context)
    if data.get("organization_id"):
        organization = model.Group.get(data["organization_id"])
        if organization is None or not organization.is_organization:
            raise tk.ObjectNotFound(_error("organization_id", "{field} not found: {value}", value=data["organization_id"]))
        data["organization_id"] = organization.id
    tk.check_access("govdata_access_request_counts", context, data)
    query = model.Session.query(AccessRequest.state, sa.func.count()).group_by(AccessRequest.state)
    if data.get("organization_id"):
        query = query.filter(AccessRequest.organization_id == data["organization_id"])
    return {state: int(count) for state, count in query}


@tk.side_effect_free
def govdata_access_request_decision_times(context: Context, data_dict: DataDict) -> dict[str, dict[str, Any]]:
    """Per department: requests received, requests decided, the mean working days from
    submission to decision and the on-time rate (``calendar.on_time_rate``; both None before the
    first decision), and the requests pending now and past their due date. Bureau staff only; the
    monitoring figures and the bulletins ask it as the bureau.

    :returns: ``{organization_id: {"requests", "requests_decided", "days_to_decision",
        "requests_on_time_rate", "open", "overdue"}}``
    """
    tk.check_access("govdata_access_request_decision_times", context, data_dict)
    return queries.decision_times()


@action_steps.atomic
def govdata_access_request_submit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a draft or a returned request; submitting a submitted request changes nothing."""
    data = action_steps.validate(data_dict, schema.request_id_schema(), context)
    request = queries.get_request(data["id"], lock=True)
    tk.check_access("govdata_access_request_submit", context, {"id": request.id})
    if workflow.transition(request, "submit") is not None:
        request_content.dataset_for_request(context, request.package_id)
        _submit(request, common.viewer(context).user_id or request.user_id)
    action_steps.finish(context)
    return dictization.request_dict(request)


@action_steps.atomic
def govdata_access_request_review(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The platform check by bureau staff: ``pass`` to the department, ``reject`` or ``return``."""
    data = action_steps.validate(data_dict, schema.request_review_schema(), context)
    request = queries.get_request(data["id"], lock=True)
    tk.check_access("govdata_access_request_review", context, {"id": request.id})
    next_state = workflow.transition(request, workflow.operation_for("govdata_access_request_review", data).name)
    assert next_state is not None  # review has no settled states in the workflow table
    if next_state != DEPARTMENT_REVIEW and not data.get("reason"):
        raise tk.ValidationError({"reason": [_error("reason", "{field} is required")]})
    actor = common.viewer(context).user_id
    from_state = request.state
    if next_state == DEPARTMENT_REVIEW:
        request.state = next_state
        common.record(request, "platform_passed", actor, from_state, data.get("reason"))
        notify.notify(notify.reviewer_ids(request), request, "to_review")
    else:
        _close(request, next_state, actor, data["reason"])
    action_steps.finish(context)
    return dictization.request_dict(request)


def _close(request: AccessRequest, state: str, actor: str | None, reason: str | None) -> None:
    """Reject or return a request, telling the applicant."""
    from_state = request.state
    request.state = state
    request.decision_reason = reason
    if state == REJECTED:
        request.decided_at = utcnow()
    common.record(request, state, actor, from_state, reason)
    notify.notify([request.user_id], request, state)


@action_steps.atomic
def govdata_access_request_decide(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The department's decision: ``approve`` (creates the grant), ``reject`` or ``return``.

    :param expires_on: the grant's last day, at most the end of the requested period
    """
    data = action_steps.validate(data_dict, schema.request_decide_schema(), context)
    request = queries.get_request(data["id"], lock=True)
    tk.check_access("govdata_access_request_decide", context, {"id": request.id})
    next_state = workflow.transition(request, workflow.operation_for("govdata_access_request_decide", data).name)
    assert next_state is not None  # decide has no settled states in the workflow table
    actor = common.viewer(context).user_id
    if next_state != APPROVED:
        if not data.get("reason"):
            raise tk.ValidationError({"reason": [_error("reason", "{field} is required")]})
        _close(request, next_state, actor, data["reason"])
        action_steps.finish(context)
        return dictization.request_dict(request, detail=True)

    package = model.Package.get(request.package_id)
    if open_condition.condition_of(package) != open_condition.CONDITIONAL:
        raise tk.ValidationError({"package_id": [_error(
            "package_id", "This dataset is no longer conditional; its requests cannot be approved"
        )]})
    if (grades.needs_subject_or_bureau(open_condition.security_grade(package)) and not request.subject_consent
            and not common.viewer(context).sysadmin):
        raise tk.NotAuthorized(bilingual(
            "Requests for data of this security grade are approved only with the data subject's consent or by "
            "the data bureau's staff"
        ))
    today = calendar.today()
    starts_on = max(today, request.period_start)
    expires_on = min(request.period_end, data.get("expires_on") or request.period_end)
    if expires_on < starts_on:
        raise tk.ValidationError({"expires_on": [_error("expires_on", "{field} must not be before {day}",
                                                             day=starts_on.isoformat())]})
    row_filter = None
    if (package.extras or {}).get("data_subject_type") in request_content.SUBJECT_TYPES:
        row_filter = {"column": package.extras["subject_id_column"], "value": request.subject_id,
                      "document_type": request.subject_document_type}
    from_state = request.state
    request.state = next_state
    request.decided_at = utcnow()
    request.decision_reason = data.get("reason")
    model.Session.add(
        AccessGrant(
            request_id=request.id, user_id=request.user_id, package_id=request.package_id,
            resource_ids=list(request.resource_ids or []), row_filter=row_filter, starts_on=starts_on,
            expires_on=expires_on, created=utcnow(),
        )
    )
    common.record(request, APPROVED, actor, from_state, data.get("reason"))
    notify.notify([request.user_id], request, APPROVED)
    action_steps.finish(context)
    request_scope.forget(request_scope.VIEWERS)
    return dictization.request_dict(request, detail=True)


@action_steps.atomic
def govdata_access_request_withdraw(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The applicant takes back a request that is not decided yet."""
    data = action_steps.validate(data_dict, schema.request_withdraw_schema(), context)
    request = queries.get_request(data["id"], lock=True)
    tk.check_access("govdata_access_request_withdraw", context, {"id": request.id})
    next_state = workflow.transition(request, "withdraw")
    if next_state is not None:
        from_state = request.state
        request.state = next_state
        common.record(request, next_state, common.viewer(context).user_id, from_state, data.get("reason"))
    action_steps.finish(context)
    return dictization.request_dict(request)
