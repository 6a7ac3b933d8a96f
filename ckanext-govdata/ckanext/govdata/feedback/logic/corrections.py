"""Actions on error reports (纠错): report, show, list, fix or reject, withdraw, and the
per-department figures.

Every state change happens in one transaction with the row locked; the reporter's in-app
notice is part of it, mail goes out after the commit.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict
from ckanext.activity.model import Activity

from ckanext.govdata import action_steps, calendar, settings, workflows
from ckanext.govdata.calendar import utcnow
from ckanext.govdata.feedback import attachments, dictization, notify, queries, workflow
from ckanext.govdata.feedback.logic import common, schema
from ckanext.govdata.feedback.logic.schema import _error
from ckanext.govdata.feedback.model import Correction
from ckanext.govdata.feedback.workflow import CORRECTIONS, FIXED, SUBMITTED


def _resource_of(package: model.Package, resource_id: str, field: str) -> str:
    if not any(resource.id == resource_id and resource.state == "active" for resource in package.resources):
        raise tk.ValidationError({field: [
            _error(field, "{field} names a resource that is not in this dataset: {value}", value=resource_id[:100])
        ]})
    return resource_id


@action_steps.atomic
def govdata_correction_create(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Report an error in a published dataset or API interface, or in one of its resources.

    :param package_id: the dataset (id or name)
    :param resource_id: the resource (optional)
    :param location: the row or field (optional)
    :param description: what is wrong
    :param attachment: one uploaded file (optional; PDF, JPEG or PNG)

    The department must fix or reject it within ``ckanext.govdata.feedback.correction_limit_days``
    working days. Reports are limited per user and per network address.
    """
    upload = attachments.upload_of(data_dict.get("attachment"))
    data = action_steps.validate({k: v for k, v in data_dict.items() if k != "attachment"},
                                 schema.correction_create_schema(), context)
    tk.check_access("govdata_correction_create", context, data)
    caller = common.viewer(context)
    assert caller.user_id is not None
    package = common.published_dataset(data["package_id"])
    resource_id = _resource_of(package, data["resource_id"], "resource_id") if data.get("resource_id") else None
    checked = attachments.check(upload) if upload is not None else None
    common.check_report_rate(caller)

    limit = settings.current().feedback.correction_limit_days
    now = utcnow()
    correction = Correction(
        user_id=caller.user_id, package_id=package.id, resource_id=resource_id, organization_id=package.owner_org,
        location=data.get("location") or None, description=data["description"], state=SUBMITTED,
        limit_days=limit, submitted_at=now, due_date=calendar.add_workdays(calendar.local_date(now), limit),
        created=now,
    )
    model.Session.add(correction)
    model.Session.flush()
    common.record(correction, "submitted", caller.user_id, None)
    pending = [
        notify.notify([caller.user_id], correction, "correction_submitted"),
        notify.notify(notify.department_staff(correction.organization_id), correction, "correction_received"),
    ]
    try:
        if upload is not None and checked is not None:
            correction.attachment = attachments.store(correction.id, upload, checked)
        action_steps.finish(context)
    except Exception:
        attachments.remove_all(correction.id)
        raise
    notify.mail(pending)
    return dictization.correction_dict(correction, detail=True)


@tk.side_effect_free
def govdata_correction_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A report with its steps: for its reporter, its department and the bureau."""
    data = action_steps.validate(data_dict, schema.id_schema(), context)
    correction = queries.get(Correction, data["id"])
    tk.check_access("govdata_correction_show", context, {"id": correction.id})
    return dictization.correction_dict(correction, detail=True)


@tk.side_effect_free
def govdata_correction_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Reports the caller may see, newest first.

    :param scope: ``mine`` (default, the caller's own) or ``review`` (their departments'; every
        one for sysadmins)
    :param state, organization_id, package_id, overdue: filters (states separated by commas)
    :param limit, offset: paging (default 50)
    """
    data = action_steps.validate(data_dict, schema.list_schema(), context)
    tk.check_access("govdata_correction_list", context, data)
    query = queries.filtered(
        Correction, queries.scoped(Correction, common.viewer(context), data.get("scope") or "mine"), data
    )
    rows = (
        query.order_by(Correction.submitted_at.desc())
        .offset(data.get("offset") or 0)
        .limit(data.get("limit") or 50)
        .all()
    )
    return {"count": query.count(), "results": [dictization.correction_dict(row) for row in rows]}


def _new_version(data: dict[str, Any], package: model.Package | None) -> tuple[str | None, str | None]:
    """The resource or dataset activity a fix points to, checked to belong to the dataset."""
    resource_id, activity_id = data.get("fixed_resource_id"), data.get("fixed_activity_id")
    if not resource_id and not activity_id:
        raise tk.ValidationError({"fixed_resource_id": [
            _error("fixed_resource_id", "A fix needs a link to the new version of the data: a resource or an activity")
        ]})
    if resource_id and package is not None:
        _resource_of(package, resource_id, "fixed_resource_id")
    if activity_id:
        activity = model.Session.get(Activity, activity_id)
        if activity is None or package is None or activity.object_id != package.id:
            raise tk.ValidationError({"fixed_activity_id": [
                _error("fixed_activity_id", "{field} is not an activity of this dataset: {value}", value=activity_id[:100])
            ]})
    return resource_id or None, activity_id or None


@action_steps.atomic
def govdata_correction_decide(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The department's answer: ``fix`` (with a note and the new version of the data: a resource
    of the dataset or one of its activities) or ``reject`` (with the reason in ``note``)."""
    data = action_steps.validate(data_dict, schema.correction_decide_schema(), context)
    correction = queries.get(Correction, data["id"], lock=True)
    tk.check_access("govdata_correction_decide", context, {"id": correction.id})
    operation = workflows.operation_for(CORRECTIONS, "govdata_correction_decide", data)
    next_state = workflow.transition(CORRECTIONS, correction, operation.name)
    assert next_state is not None  # deciding has no settled states in the table
    if not data.get("note"):
        raise tk.ValidationError({"note": [_error("note", "{field} is required")]})
    if next_state == FIXED:
        correction.fixed_resource_id, correction.fixed_activity_id = _new_version(
            data, model.Package.get(correction.package_id)
        )
    from_state = correction.state
    correction.state = next_state
    correction.resolved_at = utcnow()
    correction.resolution_note = data["note"]
    common.record(correction, next_state, common.viewer(context).user_id, from_state, data["note"])
    pending = [notify.notify([correction.user_id], correction, f"correction_{next_state}")]
    action_steps.finish(context)
    notify.mail(pending)
    return dictization.correction_dict(correction, detail=True)


@action_steps.atomic
def govdata_correction_withdraw(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The reporter takes back a report the department has not answered yet."""
    data = action_steps.validate(data_dict, schema.correction_withdraw_schema(), context)
    correction = queries.get(Correction, data["id"], lock=True)
    tk.check_access("govdata_correction_withdraw", context, {"id": correction.id})
    next_state = workflow.transition(CORRECTIONS, correction, "withdraw")
    if next_state is not None:
        from_state = correction.state
        correction.state = next_state
        common.record(correction, next_state, common.viewer(context).user_id, from_state, data.get("reason"))
    action_steps.finish(context)
    return dictization.correction_dict(correction, detail=True)


@tk.side_effect_free
def govdata_correction_stats(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Error reports per department: received, fixed, rejected, open, overdue, resolved on time,
    the on-time rate and the mean working days to an answer. The bureau sees every department,
    a department's staff their own.

    :param organization_id: one department (optional)
    :param date_from, date_to: reports submitted in this period (local dates, optional)
    :returns: ``{"departments": {organization_id: figures}, "limit_days": …}``
    """
    data = action_steps.validate(data_dict, schema.stats_schema(), context)
    tk.check_access("govdata_correction_stats", context, data)
    departments = common.departments_asked(context, data)
    return {
        "departments": queries.correction_stats(departments, data),
        "limit_days": settings.current().feedback.correction_limit_days,
    }
