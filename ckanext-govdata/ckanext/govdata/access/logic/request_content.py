"""What a request asks for, checked across fields and against its dataset."""
from __future__ import annotations

import hashlib
import json
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model
from ckan.types import Context

from ckanext.govdata import calendar, open_condition, settings
from ckanext.govdata.access import attachments as attachment_store
from ckanext.govdata.access.logic.schema import _error
from ckanext.govdata.access.model import AccessRequest
from ckanext.govdata.validators import identity, rules

SUBJECT_TYPES = open_condition.SUBJECT_TYPES
# What a request asks for: its fingerprint, and what create and update write.
CONTENT_FIELDS = (
    "resource_ids", "applicant_type", "applicant_name", "credit_code", "contact_phone", "contact_email",
    "purpose", "scenario", "period_start", "period_end", "fields_needed", "commitments", "subject_id",
    "subject_document_type", "subject_consent",
)


def limit_days(platform_holds_data: bool) -> int:
    access = settings.current().access
    return access.platform_limit_days if platform_holds_data else access.department_limit_days


def platform_holds_data(package: model.Package, resource_ids: list[str]) -> bool:
    """Files uploaded to the portal and datastore tables can be provided at once."""
    resources = [r for r in package.resources if r.state == "active" and (not resource_ids or r.id in resource_ids)]
    if package.type != "dataset" or not resources:
        return False
    return all(r.url_type == "upload" or (r.extras or {}).get("datastore_active") for r in resources)


def _may_see(context: Context, package_id: str) -> bool:
    """Private datasets of other departments do not exist as far as the caller knows."""
    try:
        tk.check_access("package_show", {"user": context.get("user") or ""}, {"id": package_id})
    except tk.NotAuthorized:
        return False
    return True


def dataset_for_request(context: Context, package_ref: str) -> model.Package:
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


def check_content(data: dict[str, Any], package: model.Package, uploads: list[Any]) -> dict[str, list[str]]:
    """Rules across fields and against the dataset; returns errors by field."""
    errors: dict[str, list[str]] = {}
    if data["applicant_type"] == "organisation" and not data.get("credit_code"):
        _put(errors, "credit_code", _error("credit_code", "{field} is required for an organisation"))
    if data["period_start"] < calendar.today():
        _put(errors, "period_start", _error("period_start", "{field} must not be in the past"))
    max_days = settings.current().access.max_grant_days
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
    else:
        # Stored only as needed: a dataset without subject rows keeps no identity document.
        data["subject_id"] = data["subject_document_type"] = None
    return errors


def _checked_subject_id(data: dict[str, Any], subject_type: str, errors: dict[str, list[str]]) -> str | None:
    """The subject's document number, checked by the rule of its document type (validators.identity).

    A person names one of the identity documents (a mainland ID when none is named); an
    enterprise is named by its credit code.
    """
    allowed = identity.PERSON_DOCUMENTS if subject_type == "person" else identity.ENTERPRISE_DOCUMENTS
    document_type = data.get("subject_document_type") or allowed[0]
    data["subject_document_type"] = document_type
    number = data.get("subject_id") or ""
    if document_type not in allowed:
        _put(errors, "subject_document_type", _error(
            "subject_document_type", "{field}: this dataset's data subjects cannot be named by this document"
        ))
        return None
    if not number:
        _put(errors, "subject_id", _error("subject_id", "{field} is required"))
        return None
    try:
        subject_id = identity.check_document(document_type, number)
    except rules.RuleError as refused:
        _put(errors, "subject_id", _error("subject_id", refused.msgid, **refused.params))
        return None
    data["subject_id"] = subject_id
    return subject_id


def _check_subject(data: dict[str, Any], package: model.Package, subject_type: str, uploads: list[Any],
                   errors: dict[str, list[str]]) -> None:
    """Data-subject authorised use (数据主体授权使用): whose rows, with what consent."""
    if not (package.extras or {}).get("subject_id_column"):
        _put(errors, "package_id", _error(
            "package_id", "This dataset holds personal or enterprise data but its department has not named the "
            "subject ID column, so it cannot take requests yet"
        ))
        return
    subject_id = _checked_subject_id(data, subject_type, errors)
    if subject_id is None:
        data["subject_id"] = None
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


def fingerprint(user_id: str, package_id: str, data: dict[str, Any]) -> str:
    content = {field: data.get(field) for field in CONTENT_FIELDS}
    content.update(user=user_id, package=package_id)
    return hashlib.sha256(json.dumps(content, sort_keys=True, default=str).encode()).hexdigest()


def keep_stored_subject(request: AccessRequest, data: dict[str, Any]) -> None:
    """An update that leaves the subject's number out, or sends back its masked form, keeps the stored one.

    Answers show the number masked, so the form cannot send the whole number back unless it is typed again.
    """
    given = data.get("subject_id")
    same_document = (data.get("subject_document_type") or request.subject_document_type) == request.subject_document_type
    if request.subject_id and same_document and given in (None, "", identity.shown(request.subject_id, request.subject_document_type)):
        data["subject_id"] = request.subject_id


def apply_content(request: AccessRequest, data: dict[str, Any]) -> None:
    for field in CONTENT_FIELDS:
        setattr(request, field, data.get(field) or ([] if field in ("resource_ids", "fields_needed") else None))
    request.agreement_accepted = True


def store_uploads(request: AccessRequest, uploads: list[Any], checked: list[dict[str, Any]]) -> None:
    stored = [attachment_store.store(request.id, upload, meta) for upload, meta in zip(uploads, checked, strict=False)]
    request.attachments = list(request.attachments or []) + stored


def lock_applicant_dataset(user_id: str, package_id: str) -> None:
    """Serialises concurrent creates of one user for one dataset (double-clicked forms)."""
    model.Session.execute(
        sa.text("SELECT pg_advisory_xact_lock(hashtext(:key))"), {"key": f"govdata_access:{user_id}:{package_id}"}
    )
