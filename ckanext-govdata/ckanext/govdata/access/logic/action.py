"""Actions of conditional opening: requests (申请), their review, grants, ledger and reminders.

Every state change happens in one transaction with the row locked, so a request is never
half-approved and two reviewers cannot act on it at once.
"""
from __future__ import annotations

import base64
import csv
import datetime as dt
import hashlib
import io
import json
import logging
from collections.abc import Iterable
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.lib import mailer
from ckan.types import Action, Context, DataDict

from ckanext.govdata import calendar, grants, open_condition, request_scope, spreadsheets
from ckanext.govdata.access import attachments as attachment_store
from ckanext.govdata.access import labels
from ckanext.govdata.access.logic import schema
from ckanext.govdata.access.logic.schema import _error
from ckanext.govdata.access.model import (
    AccessNotice,
    AccessRequest,
    AccessRequestEvent,
)
from ckanext.govdata.calendar import utcnow
from ckanext.govdata.grants import AccessGrant, AccessLog
from ckanext.govdata.open_condition import Viewer

log = logging.getLogger(__name__)

DRAFT = "draft"
SUBMITTED = "submitted"
DEPARTMENT_REVIEW = "department_review"
APPROVED = "approved"
REJECTED = "rejected"
RETURNED = "returned"
WITHDRAWN = "withdrawn"
STATES = (DRAFT, SUBMITTED, DEPARTMENT_REVIEW, APPROVED, REJECTED, RETURNED, WITHDRAWN)
OPEN_STATES = (DRAFT, SUBMITTED, DEPARTMENT_REVIEW, RETURNED)
# States in which the deadline runs.
PENDING_STATES = (SUBMITTED, DEPARTMENT_REVIEW)
DECIDED_STATES = (APPROVED, REJECTED)
SUBJECT_TYPES = open_condition.SUBJECT_TYPES
CONTENT_FIELDS = (
    "resource_ids", "applicant_type", "applicant_name", "credit_code", "contact_phone", "contact_email",
    "purpose", "scenario", "period_start", "period_end", "fields_needed", "commitments", "subject_id",
    "subject_consent",
)


# --- helpers ---------------------------------------------------------------------------------


def _validate(data_dict: DataDict, schema_dict: dict[str, Any], context: Context) -> dict[str, Any]:
    data, errors = tk.navl_validate(dict(data_dict), schema_dict, context)
    if errors:
        raise tk.ValidationError(errors)
    return data


def _viewer(context: Context) -> Viewer:
    return Viewer.from_context(context)


def _get_request(request_id: str, lock: bool = False) -> AccessRequest:
    query = model.Session.query(AccessRequest).filter(AccessRequest.id == request_id)
    if lock:
        query = query.with_for_update()
    found = query.one_or_none()
    if found is None:
        raise tk.ObjectNotFound(_error("id", "{field} not found: {value}", value=request_id))
    return found


def _isoformat(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _limit_days(platform_holds_data: bool) -> int:
    key = "platform_limit_days" if platform_holds_data else "department_limit_days"
    return tk.config.get(f"ckanext.govdata.access.{key}")


def _platform_holds_data(package: model.Package, resource_ids: list[str]) -> bool:
    """Files uploaded to the portal and datastore tables can be provided at once."""
    resources = [r for r in package.resources if r.state == "active" and (not resource_ids or r.id in resource_ids)]
    if package.type != "dataset" or not resources:
        return False
    return all(r.url_type == "upload" or (r.extras or {}).get("datastore_active") for r in resources)


def _working_days_taken(request: AccessRequest, today: dt.date) -> int | None:
    if request.submitted_at is None:
        return None
    end = calendar.local_date(request.decided_at) if request.decided_at else today
    return calendar.workdays_between(calendar.local_date(request.submitted_at), end)


def _timeliness(request: AccessRequest, today: dt.date) -> str | None:
    """on_time / overdue for decided and running requests; None when no deadline applies."""
    if request.due_date is None:
        return None
    if request.state in DECIDED_STATES and request.decided_at is not None:
        return "on_time" if calendar.local_date(request.decided_at) <= request.due_date else "overdue"
    if request.state in PENDING_STATES:
        return "overdue" if today > request.due_date else "on_time"
    return None


def _user_name(user_id: str | None) -> str | None:
    user = model.User.get(user_id) if user_id else None
    return user.name if user else None


def _event_dict(event: AccessRequestEvent, submitted_on: dt.date | None) -> dict[str, Any]:
    return {
        "id": event.id,
        "action": event.action,
        "actor": _user_name(event.actor_id),
        "from_state": event.from_state,
        "to_state": event.to_state,
        "note": event.note,
        "created": event.created.isoformat(),
        "working_days": (
            calendar.workdays_between(submitted_on, calendar.local_date(event.created)) if submitted_on else None
        ),
    }


def _request_dict(request: AccessRequest, detail: bool = False) -> dict[str, Any]:
    today = calendar.today()
    package = model.Package.get(request.package_id)
    organization = model.Group.get(request.organization_id) if request.organization_id else None
    resources = {r.id: r.name for r in package.resources} if package else {}
    result: dict[str, Any] = {
        "id": request.id,
        "state": request.state,
        "user_id": request.user_id,
        "user_name": _user_name(request.user_id),
        "package_id": request.package_id,
        "package_name": package.name if package else None,
        "package_title": package.title if package else None,
        "organization_id": request.organization_id,
        "organization_title": organization.title if organization else None,
        "resource_ids": list(request.resource_ids or []),
        "resources": [{"id": rid, "name": resources.get(rid)} for rid in request.resource_ids or []],
        "applicant_type": request.applicant_type,
        "applicant_name": request.applicant_name,
        "credit_code": request.credit_code,
        "contact_phone": request.contact_phone,
        "contact_email": request.contact_email,
        "purpose": request.purpose,
        "scenario": request.scenario,
        "period_start": request.period_start.isoformat(),
        "period_end": request.period_end.isoformat(),
        "fields_needed": list(request.fields_needed or []),
        "commitments": request.commitments,
        "agreement_accepted": request.agreement_accepted,
        "subject_id": request.subject_id,
        "subject_consent": request.subject_consent,
        "attachments": [
            {key: item[key] for key in ("id", "name", "size", "mimetype")} for item in request.attachments or []
        ],
        "platform_holds_data": request.platform_holds_data,
        "limit_days": request.limit_days,
        "submitted_at": _isoformat(request.submitted_at),
        "due_date": _isoformat(request.due_date),
        "decided_at": _isoformat(request.decided_at),
        "decision_reason": request.decision_reason,
        "working_days_taken": _working_days_taken(request, today),
        "timeliness": _timeliness(request, today),
        "overdue": request.state in PENDING_STATES and request.due_date is not None and today > request.due_date,
        "created": request.created.isoformat(),
        "modified": request.modified.isoformat(),
    }
    if detail:
        events = (
            model.Session.query(AccessRequestEvent)
            .filter(AccessRequestEvent.request_id == request.id)
            .order_by(AccessRequestEvent.id)
            .all()
        )
        first_submission = next((e.created for e in events if e.action == "submitted"), None)
        submitted_on = calendar.local_date(first_submission) if first_submission else None
        result["events"] = [_event_dict(event, submitted_on) for event in events]
        grant = grants.of_request(request.id)
        result["grant"] = grants.grant_dict(grant, today) if grant else None
        result["reads"] = _reads(grant.id) if grant else []
    return result


def _reads(grant_id: str) -> list[dict[str, Any]]:
    """What the grantee has taken under a grant, by channel (from the access log)."""
    rows = (
        model.Session.query(
            AccessLog.channel, AccessLog.unit, sa.func.count(), sa.func.sum(AccessLog.amount), sa.func.max(AccessLog.created)
        )
        .filter(AccessLog.grant_id == grant_id)
        .group_by(AccessLog.channel, AccessLog.unit)
        .order_by(AccessLog.channel)
    )
    return [
        {"channel": channel, "unit": unit, "count": count, "amount": int(amount or 0), "last": last.isoformat()}
        for channel, unit, count, amount, last in rows
    ]


def _record(request: AccessRequest, action: str, actor_id: str | None, from_state: str | None,
            note: str | None = None) -> None:
    model.Session.add(
        AccessRequestEvent(
            request_id=request.id, action=action, actor_id=actor_id, from_state=from_state,
            to_state=request.state, note=note, created=utcnow(),
        )
    )


def _notify(user_ids: Iterable[str], request: AccessRequest, kind: str) -> None:
    """An in-app notice to each user; mail goes out after commit (see _mail)."""
    for user_id in set(user_ids):
        model.Session.add(AccessNotice(user_id=user_id, request_id=request.id, kind=kind, created=utcnow()))


def _mail(user_ids: Iterable[str], request: AccessRequest, kind: str) -> int:
    """Mail each user about the request; failures are logged, never raised. Returns mails sent."""
    sent = 0
    package = model.Package.get(request.package_id)
    link = tk.url_for("govdata_access.request_read", request_id=request.id, _external=True)
    for user_id in set(user_ids):
        user = model.User.get(user_id)
        if user is None or not user.email:
            continue
        body = "\n".join(
            [
                labels.notice_label(kind),
                "",
                f"{tk._('Dataset')}: {package.title if package else request.package_id}",
                f"{tk._('Applicant')}: {request.applicant_name}",
                f"{tk._('Deadline')}: {_isoformat(request.due_date) or '-'}",
                link,
            ]
        )
        try:
            mailer.mail_user(user, labels.notice_label(kind), body)
            sent += 1
        except mailer.MailerException as error:
            log.warning("could not mail %s about request %s: %s", user.name, request.id, error)
    return sent


def _reviewer_ids(request: AccessRequest) -> list[str]:
    """Who acts next: bureau staff (sysadmins) for the platform check, else the department."""
    if request.state == SUBMITTED:
        rows = model.Session.query(model.User.id).filter(model.User.sysadmin.is_(True), model.User.state == "active")
    else:
        rows = (
            model.Session.query(model.Member.table_id)
            .filter(model.Member.group_id == request.organization_id)
            .filter(model.Member.table_name == "user", model.Member.state == "active")
            .filter(model.Member.capacity.in_(open_condition.STAFF_ROLES))
        )
    return [row[0] for row in rows]


def _commit() -> None:
    try:
        model.Session.commit()
    except Exception:
        model.Session.rollback()
        raise


# --- requests --------------------------------------------------------------------------------


def _may_see(context: Context, package_id: str) -> bool:
    """Private datasets of other departments do not exist as far as the caller knows."""
    try:
        tk.check_access("package_show", {"user": context.get("user") or ""}, {"id": package_id})
    except tk.NotAuthorized:
        return False
    return True


def _dataset_for_request(context: Context, package_ref: str) -> model.Package:
    package = model.Package.get(package_ref)
    if package is None or package.state != "active" or not _may_see(context, package.id):
        raise tk.ValidationError({"package_id": [
            _error("package_id", "{field} names a dataset that does not exist: {value}", value=package_ref)
        ]})
    assert package is not None
    condition = open_condition.condition_of(package)
    if condition == open_condition.UNCONDITIONAL:
        raise tk.ValidationError({"package_id": [_error(
            "package_id", "This dataset is open to everyone without a request: download it directly"
        )]})
    if condition != open_condition.CONDITIONAL:
        raise tk.ValidationError({"package_id": [_error(
            "package_id", "This dataset is not open: its data cannot be requested"
        )]})
    return package


def _put(errors: dict[str, list[str]], field: str, message: str) -> None:
    errors.setdefault(field, []).append(message)


def _check_content(data: dict[str, Any], package: model.Package, uploads: list[Any]) -> dict[str, list[str]]:
    """Rules across fields and against the dataset; returns errors by field."""
    errors: dict[str, list[str]] = {}
    if data["applicant_type"] == "organisation" and not data.get("credit_code"):
        _put(errors, "credit_code", _error("credit_code", "{field} is required for an organisation"))
    if data["period_start"] < calendar.today():
        _put(errors, "period_start", _error("period_start", "{field} must not be in the past"))
    max_days = tk.config.get("ckanext.govdata.access.max_grant_days")
    if data["period_end"] < data["period_start"]:
        _put(errors, "period_end", _error("period_end", "{field} must not be before the start of the period"))
    elif (data["period_end"] - data["period_start"]).days > max_days:
        _put(errors, "period_end", _error("period_end", "{field} must be within {days} days of the start",
                                          days=max_days))
    resource_ids = {r.id for r in package.resources if r.state == "active"}
    for resource_id in data["resource_ids"]:
        if resource_id not in resource_ids:
            _put(errors, "resource_ids", _error(
                "resource_ids", "{field} names a resource that is not in this dataset: {value}", value=resource_id
            ))
    items = {item.get("name") for item in _data_items(package)}
    for name in data["fields_needed"]:
        if items and name not in items:
            _put(errors, "fields_needed", _error(
                "fields_needed", "{field} names a data item that is not in this dataset: {value}", value=name
            ))
    subject_type = (package.extras or {}).get("data_subject_type")
    if subject_type in SUBJECT_TYPES:
        _check_subject(data, package, subject_type, uploads, errors)
    return errors


def _check_subject(data: dict[str, Any], package: model.Package, subject_type: str, uploads: list[Any],
                   errors: dict[str, list[str]]) -> None:
    """Data-subject authorised use (数据主体授权使用): whose rows, with what consent."""
    if not (package.extras or {}).get("subject_id_column"):
        _put(errors, "package_id", _error(
            "package_id", "This dataset holds personal or enterprise data but its department has not named the "
            "subject ID column, so it cannot take requests yet"
        ))
        return
    subject_id = (data.get("subject_id") or "").upper()
    if not subject_id:
        _put(errors, "subject_id", _error("subject_id", "{field} is required"))
    elif subject_type == "enterprise" and not schema.is_credit_code(subject_id):
        _put(errors, "subject_id", _error(
            "subject_id", "{field} is not a valid unified social credit code (GB 32100): {value}", value=subject_id
        ))
    elif subject_type == "person" and not schema.is_id_number(subject_id):
        _put(errors, "subject_id", _error(
            "subject_id", "{field} is not a valid ID card number (GB 11643): {value}", value=subject_id
        ))
    data["subject_id"] = subject_id or None
    consent = data.get("subject_consent")
    if not consent:
        _put(errors, "subject_consent", _error("subject_consent", "{field} is required"))
    elif consent == "self":
        if subject_type == "enterprise" and data.get("credit_code") != subject_id:
            _put(errors, "subject_id", _error(
                "subject_id", "{field}: to apply as the data subject, it must be the applicant's own credit code"
            ))
        if subject_type == "enterprise" and data["applicant_type"] != "organisation":
            _put(errors, "applicant_type", _error(
                "applicant_type", "{field}: only an organisation can be the subject of enterprise data"
            ))
        if subject_type == "person" and data["applicant_type"] != "person":
            _put(errors, "applicant_type", _error(
                "applicant_type", "{field}: only a person can be the subject of personal data"
            ))
    elif consent == "authorisation" and not uploads:
        _put(errors, "attachments", _error("attachments", "{field}: attach the data subject's signed authorisation"))


def _data_items(package: model.Package) -> list[dict[str, Any]]:
    items = (package.extras or {}).get("data_items") or []
    if isinstance(items, str):
        try:
            items = json.loads(items)
        except ValueError:
            return []
    return [item for item in items if isinstance(item, dict)]


def _fingerprint(user_id: str, package_id: str, data: dict[str, Any]) -> str:
    content = {field: data.get(field) for field in CONTENT_FIELDS}
    content.update(user=user_id, package=package_id)
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def _apply_content(request: AccessRequest, data: dict[str, Any]) -> None:
    for field in CONTENT_FIELDS:
        setattr(request, field, data.get(field) or ([] if field in ("resource_ids", "fields_needed") else None))
    request.agreement_accepted = True


def _store_uploads(request: AccessRequest, uploads: list[Any], checked: list[dict[str, Any]]) -> None:
    stored = [attachment_store.store(request.id, upload, meta) for upload, meta in zip(uploads, checked)]
    request.attachments = list(request.attachments or []) + stored


def _lock_applicant_dataset(user_id: str, package_id: str) -> None:
    """Serialises concurrent creates of one user for one dataset (double-clicked forms)."""
    model.Session.execute(
        sa.text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"govdata_access:{user_id}:{package_id}"}
    )


def _submit(request: AccessRequest, actor_id: str) -> None:
    from_state = request.state
    package = model.Package.get(request.package_id)
    request.state = SUBMITTED
    request.submitted_at = utcnow()
    request.platform_holds_data = _platform_holds_data(package, list(request.resource_ids or []))
    request.limit_days = _limit_days(request.platform_holds_data)
    request.due_date = calendar.add_workdays(calendar.today(), request.limit_days)
    request.decided_at = None
    request.decision_reason = None
    _record(request, "submitted", actor_id, from_state)


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
    data = _validate({k: v for k, v in data_dict.items() if k != "attachments"}, schema.request_create_schema(),
                     context)
    tk.check_access("govdata_access_request_create", context, data)
    viewer = _viewer(context)
    assert viewer.user is not None
    package = _dataset_for_request(context, data["package_id"])
    checked = [attachment_store.check(upload) for upload in uploads]
    errors = _check_content(data, package, uploads)
    if errors:
        raise tk.ValidationError(errors)

    _lock_applicant_dataset(viewer.user.id, package.id)
    fingerprint = _fingerprint(viewer.user.id, package.id, data)
    existing = (
        model.Session.query(AccessRequest)
        .filter(AccessRequest.user_id == viewer.user.id, AccessRequest.package_id == package.id)
        .filter(AccessRequest.state.in_(OPEN_STATES))
        .with_for_update()
        .one_or_none()
    )
    if existing is not None:
        if existing.fingerprint != fingerprint:
            model.Session.rollback()
            raise tk.ValidationError({"package_id": [_error(
                "package_id", "You already have an open request for this dataset; change or withdraw it instead"
            )]})
        if data.get("submit") and existing.state in (DRAFT, RETURNED):
            _submit(existing, viewer.user.id)
        _commit()
        return _request_dict(existing)

    request = AccessRequest(
        user_id=viewer.user.id, package_id=package.id, organization_id=package.owner_org, state=DRAFT,
        fingerprint=fingerprint, attachments=[], created=utcnow(),
    )
    _apply_content(request, data)
    model.Session.add(request)
    model.Session.flush()
    _record(request, "created", viewer.user.id, None)
    try:
        _store_uploads(request, uploads, checked)
        if data.get("submit"):
            _submit(request, viewer.user.id)
        _commit()
    except Exception:
        model.Session.rollback()
        attachment_store.remove_all(request.id)
        raise
    return _request_dict(request)


def govdata_access_request_update(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Change a draft or a request returned for more information (same fields as create).

    Attachments given here are added to those already there.
    """
    uploads = attachment_store.uploads(data_dict.get("attachments"))
    data = _validate(
        {k: v for k, v in data_dict.items() if k not in ("attachments", "id")}, schema.request_create_schema(),
        context,
    )
    request_id = _validate({"id": data_dict.get("id")}, schema.request_id_schema(), context)["id"]
    request = _get_request(request_id, lock=True)
    tk.check_access("govdata_access_request_update", context, {"id": request.id})
    if request.state not in (DRAFT, RETURNED):
        raise tk.ValidationError({"state": [_error("state", "Only a draft or a returned request can be changed")]})
    package = model.Package.get(request.package_id)
    if data["package_id"] not in (package.id, package.name):
        raise tk.ValidationError({"package_id": [_error("package_id", "{field} cannot be changed")]})
    package = _dataset_for_request(context, package.id)
    checked = [attachment_store.check(upload) for upload in uploads]
    errors = _check_content(data, package, uploads + list(request.attachments or []))
    if errors:
        raise tk.ValidationError(errors)
    viewer = _viewer(context)
    _apply_content(request, data)
    request.fingerprint = _fingerprint(request.user_id, package.id, data)
    _record(request, "updated", viewer.user_id, request.state)
    _store_uploads(request, uploads, checked)
    if data.get("submit"):
        _submit(request, request.user_id)
    _commit()
    return _request_dict(request)


@tk.side_effect_free
def govdata_access_request_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """A request with its history (台账 steps) and its grant."""
    data = _validate(data_dict, schema.request_id_schema(), context)
    request = _get_request(data["id"])
    tk.check_access("govdata_access_request_show", context, {"id": request.id})
    return _request_dict(request, detail=True)


def _filtered(query: Any, data: dict[str, Any]) -> Any:
    if data.get("state"):
        query = query.filter(AccessRequest.state.in_(str(data["state"]).split(",")))
    if data.get("organization_id"):
        organization = model.Group.get(data["organization_id"])
        query = query.filter(AccessRequest.organization_id == (organization.id if organization else data["organization_id"]))
    if data.get("package_id"):
        package = model.Package.get(data["package_id"])
        query = query.filter(AccessRequest.package_id == (package.id if package else data["package_id"]))
    if tk.asbool(data.get("overdue") or False):
        query = query.filter(AccessRequest.state.in_(PENDING_STATES), AccessRequest.due_date < calendar.today())
    # Periods are local dates; stored times are UTC.
    if data.get("date_from"):
        query = query.filter(AccessRequest.submitted_at >= calendar.day_starts_at(data["date_from"]))
    if data.get("date_to"):
        end = calendar.day_starts_at(data["date_to"] + dt.timedelta(days=1))
        query = query.filter(AccessRequest.submitted_at < end)
    return query


def _scoped(viewer: Viewer, scope: str) -> Any:
    """``mine``: the caller's own requests; ``review``: those the caller reviews (never drafts)."""
    query = model.Session.query(AccessRequest)
    if scope == "mine":
        return query.filter(AccessRequest.user_id == viewer.user_id)
    query = query.filter(AccessRequest.state != DRAFT)
    if viewer.sysadmin:
        return query
    return query.filter(AccessRequest.organization_id.in_(sorted(viewer.staff_orgs()) or [""]))


@tk.side_effect_free
def govdata_access_request_list(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Requests the caller may see, newest first.

    :param scope: ``mine`` (default, the caller's own) or ``review`` (those of the caller's
        departments; every one for sysadmins)
    :param state: one state or several separated by commas
    :param organization_id, package_id, overdue, date_from, date_to: filters (dates of submission)
    :param limit, offset: paging (default 50)
    """
    data = _validate(data_dict, schema.request_list_schema(), context)
    tk.check_access("govdata_access_request_list", context, data)
    query = _filtered(_scoped(_viewer(context), data.get("scope") or "mine"), data)
    count = query.count()
    rows = (
        query.order_by(AccessRequest.submitted_at.desc().nullsfirst(), AccessRequest.created.desc())
        .offset(data.get("offset") or 0)
        .limit(data.get("limit") or 50)
        .all()
    )
    return {"count": count, "results": [_request_dict(row) for row in rows]}


@tk.side_effect_free
def govdata_access_request_counts(context: Context, data_dict: DataDict) -> dict[str, int]:
    """How many requests are in each state: all of them, or one department's.

    :param organization_id: the department (id or name); default every request
    :returns: ``{state: count}``, states without requests left out
    """
    data = _validate(data_dict, schema.request_counts_schema(), context)
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


def govdata_access_request_submit(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Submit a draft or a returned request; submitting a submitted request changes nothing."""
    data = _validate(data_dict, schema.request_id_schema(), context)
    request = _get_request(data["id"], lock=True)
    tk.check_access("govdata_access_request_submit", context, {"id": request.id})
    if request.state in (SUBMITTED, DEPARTMENT_REVIEW, APPROVED):
        model.Session.rollback()
        return _request_dict(request)
    if request.state not in (DRAFT, RETURNED):
        raise tk.ValidationError({"state": [_error("state", "This request is closed and cannot be submitted")]})
    _dataset_for_request(context, request.package_id)
    _submit(request, _viewer(context).user_id or request.user_id)
    _commit()
    return _request_dict(request)


def govdata_access_request_review(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The platform check by bureau staff: ``pass`` to the department, ``reject`` or ``return``."""
    data = _validate(data_dict, schema.request_review_schema(), context)
    request = _get_request(data["id"], lock=True)
    tk.check_access("govdata_access_request_review", context, {"id": request.id})
    if request.state != SUBMITTED:
        raise tk.ValidationError({"state": [_error("state", "This request is not waiting for the platform check")]})
    if data["outcome"] != "pass" and not data.get("reason"):
        raise tk.ValidationError({"reason": [_error("reason", "{field} is required")]})
    actor = _viewer(context).user_id
    from_state = request.state
    if data["outcome"] == "pass":
        request.state = DEPARTMENT_REVIEW
        _record(request, "platform_passed", actor, from_state, data.get("reason"))
        reviewers = _reviewer_ids(request)
        _notify(reviewers, request, "to_review")
    else:
        _close(request, REJECTED if data["outcome"] == "reject" else RETURNED, actor, data["reason"])
    _commit()
    return _request_dict(request)


def _close(request: AccessRequest, state: str, actor: str | None, reason: str | None) -> None:
    """Reject or return a request, telling the applicant."""
    from_state = request.state
    request.state = state
    request.decision_reason = reason
    if state == REJECTED:
        request.decided_at = utcnow()
    _record(request, state, actor, from_state, reason)
    _notify([request.user_id], request, state)


def govdata_access_request_decide(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The department's decision: ``approve`` (creates the grant), ``reject`` or ``return``.

    :param expires_on: the grant's last day, at most the end of the requested period
    """
    data = _validate(data_dict, schema.request_decide_schema(), context)
    request = _get_request(data["id"], lock=True)
    tk.check_access("govdata_access_request_decide", context, {"id": request.id})
    if request.state != DEPARTMENT_REVIEW:
        raise tk.ValidationError({"state": [_error("state", "This request is not waiting for the department's decision")]})
    actor = _viewer(context).user_id
    if data["decision"] != "approve":
        if not data.get("reason"):
            raise tk.ValidationError({"reason": [_error("reason", "{field} is required")]})
        _close(request, REJECTED if data["decision"] == "reject" else RETURNED, actor, data["reason"])
        _commit()
        return _request_dict(request, detail=True)

    package = model.Package.get(request.package_id)
    if open_condition.condition_of(package) != open_condition.CONDITIONAL:
        raise tk.ValidationError({"package_id": [_error(
            "package_id", "This dataset is no longer conditional; its requests cannot be approved"
        )]})
    today = calendar.today()
    starts_on = max(today, request.period_start)
    expires_on = min(request.period_end, data.get("expires_on") or request.period_end)
    if expires_on < starts_on:
        raise tk.ValidationError({"expires_on": [_error("expires_on", "{field} must not be before {day}",
                                                             day=starts_on.isoformat())]})
    row_filter = None
    if (package.extras or {}).get("data_subject_type") in SUBJECT_TYPES:
        row_filter = {"column": package.extras["subject_id_column"], "value": request.subject_id}
    from_state = request.state
    request.state = APPROVED
    request.decided_at = utcnow()
    request.decision_reason = data.get("reason")
    model.Session.add(
        AccessGrant(
            request_id=request.id, user_id=request.user_id, package_id=request.package_id,
            resource_ids=list(request.resource_ids or []), row_filter=row_filter, starts_on=starts_on,
            expires_on=expires_on, created=utcnow(),
        )
    )
    _record(request, APPROVED, actor, from_state, data.get("reason"))
    _notify([request.user_id], request, APPROVED)
    _commit()
    request_scope.forget(request_scope.VIEWERS)
    return _request_dict(request, detail=True)


def govdata_access_request_withdraw(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The applicant takes back a request that is not decided yet."""
    data = _validate(data_dict, schema.request_withdraw_schema(), context)
    request = _get_request(data["id"], lock=True)
    tk.check_access("govdata_access_request_withdraw", context, {"id": request.id})
    if request.state == WITHDRAWN:
        model.Session.rollback()
        return _request_dict(request)
    if request.state not in OPEN_STATES:
        raise tk.ValidationError({"state": [_error("state", "A decided request cannot be withdrawn")]})
    from_state = request.state
    request.state = WITHDRAWN
    _record(request, WITHDRAWN, _viewer(context).user_id, from_state, data.get("reason"))
    _commit()
    return _request_dict(request)


# --- grants ----------------------------------------------------------------------------------


@tk.side_effect_free
def govdata_access_grant_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """Grants: the caller's own (``scope=mine``) or those of the caller's departments (``review``)."""
    data = _validate(data_dict, schema.grant_list_schema(), context)
    tk.check_access("govdata_access_grant_list", context, data)
    viewer = _viewer(context)
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


def govdata_access_grant_revoke(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """End a grant before it expires (the reason goes into the request's history)."""
    data = _validate(data_dict, schema.grant_revoke_schema(), context)
    grant = model.Session.query(AccessGrant).filter(AccessGrant.id == data["id"]).with_for_update().one_or_none()
    if grant is None:
        raise tk.ObjectNotFound(_error("id", "{field} not found: {value}", value=data["id"]))
    tk.check_access("govdata_access_grant_revoke", context, {"id": grant.id})
    if grant.revoked_at is not None:
        model.Session.rollback()
        return grants.grant_dict(grant)
    actor = _viewer(context).user_id
    grant.revoked_at = utcnow()
    grant.revoked_by = actor
    grant.revoke_reason = data["reason"]
    if grant.request_id:
        request = _get_request(grant.request_id)
        _record(request, "revoked", actor, request.state, data["reason"])
    _commit()
    request_scope.forget(request_scope.VIEWERS)
    return grants.grant_dict(grant)


# --- ledger (台账) ----------------------------------------------------------------------------

def _local_time(value: str | None) -> str:
    if not value:
        return ""
    return calendar.local_minute(dt.datetime.fromisoformat(value))


def _ledger_cell(key: str, value: Any) -> Any:
    if key in ("submitted_at", "decided_at", "created"):
        return _local_time(value)
    if key in ("state", "from_state", "to_state"):
        return labels.state_label(value)
    if key == "action":
        return labels.step_label(value)
    if key == "timeliness":
        return labels.timeliness_label(value)
    if key == "applicant_type":
        return labels.applicant_type_label(value)
    return "" if value is None else value


def _xlsx(requests: list[dict[str, Any]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = tk._("Requests")
    columns, step_columns = labels.ledger_columns(), labels.step_columns()
    spreadsheets.append_row(sheet, [title for _key, title in columns])
    for request in requests:
        spreadsheets.append_row(sheet, [_ledger_cell(key, request.get(key)) for key, _title in columns])
    steps = book.create_sheet(tk._("Steps"))
    spreadsheets.append_row(steps, [title for _key, title in step_columns])
    for request in requests:
        for event in request["events"]:
            row = dict(event, request_id=request["id"])
            spreadsheets.append_row(steps, [_ledger_cell(key, row.get(key)) for key, _title in step_columns])
    for worksheet in (sheet, steps):
        worksheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _csv(requests: list[dict[str, Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    columns = labels.ledger_columns()
    writer.writerow(spreadsheets.safe_row([title for _key, title in columns] + [tk._("Steps")]))
    for request in requests:
        steps = "; ".join(
            f"{_local_time(e['created'])} {_ledger_cell('action', e['action'])} {e['actor'] or ''}".strip()
            for e in request["events"]
        )
        writer.writerow(spreadsheets.safe_row([_ledger_cell(key, request.get(key)) for key, _title in columns] + [steps]))
    # Excel opens UTF-8 CSV correctly only with a byte-order mark.
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


@tk.side_effect_free
def govdata_access_ledger_export(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """The ledger of the requests the caller reviews, as an xlsx workbook or CSV file.

    Takes the filters of ``govdata_access_request_list``; returns ``filename``, ``mimetype``
    and the file as ``content_base64``.
    """
    data = _validate(data_dict, schema.ledger_export_schema(), context)
    tk.check_access("govdata_access_ledger_export", context, data)
    query = _filtered(_scoped(_viewer(context), "review"), data)
    requests = [_request_dict(row, detail=True) for row in query.order_by(AccessRequest.submitted_at)]
    file_format = data.get("format") or "xlsx"
    content = _xlsx(requests) if file_format == "xlsx" else _csv(requests)
    mimetype = (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" if file_format == "xlsx"
        else "text/csv; charset=utf-8"
    )
    return {
        "filename": f"access-ledger-{calendar.today().isoformat()}.{file_format}",
        "mimetype": mimetype,
        "count": len(requests),
        "content_base64": base64.b64encode(content).decode("ascii"),
    }


# --- notices and reminders -------------------------------------------------------------------


@tk.side_effect_free
def govdata_access_notice_list(context: Context, data_dict: DataDict) -> list[dict[str, Any]]:
    """The caller's unread in-app notices about requests."""
    tk.check_access("govdata_access_notice_list", context, data_dict)
    viewer = _viewer(context)
    notices = (
        model.Session.query(AccessNotice)
        .filter(AccessNotice.user_id == viewer.user_id, AccessNotice.read_at.is_(None))
        .order_by(AccessNotice.created.desc())
        .limit(50)
        .all()
    )
    result = []
    for notice in notices:
        request = model.Session.get(AccessRequest, notice.request_id)
        result.append({
            "id": notice.id,
            "kind": notice.kind,
            "created": notice.created.isoformat(),
            "request_id": notice.request_id,
            "package_title": (model.Package.get(request.package_id).title if request else None),
            "due_date": _isoformat(request.due_date) if request else None,
        })
    return result


def govdata_access_notice_read(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Mark the caller's notices about one request as read."""
    data = _validate(data_dict, schema.request_id_schema(), context)
    tk.check_access("govdata_access_notice_read", context, data)
    viewer = _viewer(context)
    marked = (
        model.Session.query(AccessNotice)
        .filter(AccessNotice.user_id == viewer.user_id, AccessNotice.request_id == data["id"])
        .filter(AccessNotice.read_at.is_(None))
        .update({AccessNotice.read_at: utcnow()}, synchronize_session=False)
    )
    _commit()
    return {"marked": marked}


def govdata_access_reminders_send(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Remind reviewers of requests due soon and of overdue ones (run daily by cron).

    Each request's reviewers get one ``due_soon`` reminder per stage ``remind_days_before``
    working days before its deadline, and one ``overdue`` reminder once it has passed.

    :param today: the day to act as (``YYYY-MM-DD``, default today in Beijing)
    """
    data = _validate(data_dict, schema.reminders_schema(), context)
    tk.check_access("govdata_access_reminders_send", context, data)
    today = data.get("today") or calendar.today()
    lead = tk.config.get("ckanext.govdata.access.remind_days_before")
    sent = {"due_soon": 0, "overdue": 0, "mails": 0}
    pending = model.Session.query(AccessRequest).filter(AccessRequest.state.in_(PENDING_STATES)).all()
    for request in pending:
        if request.due_date is None:
            continue
        if today > request.due_date:
            kind = "overdue"
        elif calendar.workdays_between(today, request.due_date) <= lead:
            kind = "due_soon"
        else:
            continue
        note = f"{kind}:{request.state}:{request.due_date.isoformat()}"
        already = (
            model.Session.query(AccessRequestEvent.id)
            .filter(AccessRequestEvent.request_id == request.id, AccessRequestEvent.action == "reminded")
            .filter(AccessRequestEvent.note == note)
            .first()
        )
        if already:
            continue
        reviewers = _reviewer_ids(request)
        _notify(reviewers, request, kind)
        _record(request, "reminded", None, request.state, note)
        _commit()
        sent[kind] += 1
        sent["mails"] += _mail(reviewers, request, kind)
    return sent


# --- working-day calendar (工作日历) -----------------------------------------------------------


@tk.side_effect_free
def govdata_workday_calendar_show(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Where a year's working days come from, and the staff's overrides in it.

    :param year: default this year (Beijing time)
    :returns: ``known`` false means Monday–Friday is assumed: the schedule must be imported
    """
    data = _validate(data_dict, schema.calendar_show_schema(), context)
    tk.check_access("govdata_workday_calendar_show", context, data)
    year = data.get("year") or calendar.today().year
    overrides = calendar.list_overrides(year)
    if calendar.package_knows(year):
        source = "package"
    elif overrides:
        source = "overrides"
    else:
        source = "fallback"
    return {"year": year, "known": source != "fallback", "source": source, "overrides": overrides,
            "missing_years": calendar.missing_schedule_years()}


def govdata_workday_override_set(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Mark one day as a working day or not (调休, a holiday the package does not know yet)."""
    data = _validate(data_dict, schema.override_set_schema(), context)
    tk.check_access("govdata_workday_override_set", context, data)
    calendar.set_override(data["day"], data["is_workday"], data.get("note"))
    _commit()
    return {"day": data["day"].isoformat(), "is_workday": data["is_workday"], "note": data.get("note") or ""}


def govdata_workday_override_delete(context: Context, data_dict: DataDict) -> dict[str, Any]:
    data = _validate(data_dict, schema.override_delete_schema(), context)
    tk.check_access("govdata_workday_override_delete", context, data)
    removed = calendar.remove_override(data["day"])
    _commit()
    return {"day": data["day"].isoformat(), "removed": removed}


def govdata_workday_schedule_import(context: Context, data_dict: DataDict) -> dict[str, Any]:
    """Import a year's schedule (the State Council's notice) from an uploaded CSV or YAML file.

    :param upload: the file; CSV columns ``date,is_workday,note``, dates may be ranges such
        as ``2027-10-01..2027-10-07``
    """
    uploads = attachment_store.uploads(data_dict.get("upload"))
    if not uploads:
        raise tk.ValidationError({"upload": [_error("upload", "{field} is required")]})
    if len(uploads) > 1:
        raise tk.ValidationError({"upload": [_error("upload", "{field} cannot be read: {reason}", reason="one file at a time")]})
    tk.check_access("govdata_workday_schedule_import", context, {})
    upload = uploads[0]
    try:
        content = upload.stream.read(calendar.MAX_SCHEDULE_BYTES + 1)
        if len(content) > calendar.MAX_SCHEDULE_BYTES:
            raise calendar.ScheduleError(f"{upload.filename}: larger than {calendar.MAX_SCHEDULE_BYTES} bytes")
        text = content.decode("utf-8-sig")
        days = calendar.parse_schedule(text, calendar.schedule_format(upload.filename or ""), upload.filename or "")
    except (UnicodeDecodeError, calendar.ScheduleError) as error:
        raise tk.ValidationError({"upload": [_error("upload", "{field} cannot be read: {reason}", reason=error)]})
    imported = calendar.save_schedule(days)
    _commit()
    return {"imported": imported}


def all_actions() -> dict[str, Action]:
    return {
        "govdata_access_request_create": govdata_access_request_create,
        "govdata_access_request_update": govdata_access_request_update,
        "govdata_access_request_show": govdata_access_request_show,
        "govdata_access_request_list": govdata_access_request_list,
        "govdata_access_request_counts": govdata_access_request_counts,
        "govdata_access_request_submit": govdata_access_request_submit,
        "govdata_access_request_review": govdata_access_request_review,
        "govdata_access_request_decide": govdata_access_request_decide,
        "govdata_access_request_withdraw": govdata_access_request_withdraw,
        "govdata_access_grant_list": govdata_access_grant_list,
        "govdata_access_grant_revoke": govdata_access_grant_revoke,
        "govdata_access_ledger_export": govdata_access_ledger_export,
        "govdata_access_notice_list": govdata_access_notice_list,
        "govdata_access_notice_read": govdata_access_notice_read,
        "govdata_access_reminders_send": govdata_access_reminders_send,
        "govdata_workday_calendar_show": govdata_workday_calendar_show,
        "govdata_workday_override_set": govdata_workday_override_set,
        "govdata_workday_override_delete": govdata_workday_override_delete,
        "govdata_workday_schedule_import": govdata_workday_schedule_import,
    }
