"""Schemas of the access actions, built from the package's validators.

Field labels are English here; their Chinese is in the zh_Hans_CN catalogue.
"""
from __future__ import annotations

from typing import Any

from ckan.logic.schema import validator_args
from ckan.types import Schema

from ckanext.govdata.messages import bilingual
from ckanext.govdata.validators import Fields, identity, rules, stripped

APPLICANT_TYPES = ("person", "organisation")
SUBJECT_CONSENTS = ("self", "authorisation")
REVIEW_OUTCOMES = ("pass", "reject", "return")
DECISIONS = ("approve", "reject", "return")
LIST_SCOPES = ("mine", "review")
# Paging bounds: a client cannot ask the database for a negative offset or an unbounded page.
MAX_LIMIT = 1000
MAX_OFFSET = 10_000_000

FIELDS = Fields({
    "id": "Request ID",
    "ids": "Request IDs",
    "package_id": "Dataset",
    "resource_ids": "Requested resources",
    "applicant_type": "Applicant type",
    "applicant_name": "Applicant name",
    "credit_code": "Unified social credit code",
    "contact_phone": "Contact phone",
    "contact_email": "Contact email",
    "purpose": "Purpose",
    "scenario": "Use scenario",
    "period_start": "Period from",
    "period_end": "Period to",
    "fields_needed": "Data items needed",
    "commitments": "Security commitments",
    "agreement_accepted": "Use agreement",
    "subject_id": "Data subject ID number",
    "subject_document_type": "Data subject's identity document",
    "subject_consent": "Subject consent",
    "outcome": "Check outcome",
    "decision": "Decision",
    "reason": "Reason",
    "expires_on": "Grant expires on",
    "scope": "Scope",
    "state": "State",
    "organization_id": "Department",
    "date_from": "Submitted from",
    "date_to": "Submitted until",
    "format": "File format",
    "today": "Day",
    "attachments": "Attachments",
    "limit": "Limit",
    "offset": "Offset",
    "overdue": "Overdue only",
    "include_inactive": "Include inactive grants",
    "submit": "Submit",
})


def _error(field: str, msgid: str, **params: Any) -> str:
    """``msgid`` naming ``field`` in Chinese and English (extracted for translation as ``_error``)."""
    # Not FIELDS.message: params may carry a ``name`` (an upload's) of their own.
    return bilingual(msgid, field=FIELDS.label(field), **params)


@validator_args
def request_create_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "package_id": [FIELDS.required, unicode_safe],
        "resource_ids": [FIELDS.string_list],
        "applicant_type": [FIELDS.required, FIELDS.choice(APPLICANT_TYPES)],
        "applicant_name": [FIELDS.required, unicode_safe, stripped, FIELDS.max_length(200)],
        "credit_code": [ignore_missing, unicode_safe, FIELDS.credit_code],
        "contact_phone": [ignore_missing, unicode_safe, FIELDS.pattern(rules.PHONE_PATTERN)],
        "contact_email": [ignore_missing, unicode_safe, FIELDS.pattern(rules.EMAIL_PATTERN)],
        "purpose": [FIELDS.required, unicode_safe, FIELDS.max_length(2000)],
        "scenario": [FIELDS.required, unicode_safe, FIELDS.max_length(2000)],
        "period_start": [FIELDS.required, FIELDS.iso_date],
        "period_end": [FIELDS.required, FIELDS.iso_date],
        "fields_needed": [FIELDS.string_list],
        "commitments": [FIELDS.required, unicode_safe, FIELDS.max_length(4000)],
        "agreement_accepted": [FIELDS.accepted],
        "subject_id": [ignore_missing, unicode_safe, stripped],
        "subject_document_type": [ignore_missing, FIELDS.choice(identity.BY_VALUE)],
        "subject_consent": [ignore_missing, FIELDS.choice(SUBJECT_CONSENTS)],
        "attachments": [ignore_missing],
        "submit": [ignore_missing, FIELDS.flag],
    }


@validator_args
def request_id_schema(unicode_safe) -> Schema:
    return {"id": [FIELDS.required, unicode_safe]}


@validator_args
def request_review_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "id": [FIELDS.required, unicode_safe],
        "outcome": [FIELDS.required, FIELDS.choice(REVIEW_OUTCOMES)],
        "reason": [ignore_missing, unicode_safe, FIELDS.max_length(2000)],
    }


@validator_args
def request_decide_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "id": [FIELDS.required, unicode_safe],
        "decision": [FIELDS.required, FIELDS.choice(DECISIONS)],
        "reason": [ignore_missing, unicode_safe, FIELDS.max_length(2000)],
        "expires_on": [ignore_missing, FIELDS.iso_date],
    }


@validator_args
def request_withdraw_schema(ignore_missing, unicode_safe) -> Schema:
    return {"id": [FIELDS.required, unicode_safe], "reason": [ignore_missing, unicode_safe, FIELDS.max_length(2000)]}


@validator_args
def request_list_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "scope": [ignore_missing, FIELDS.choice(LIST_SCOPES)],
        "state": [ignore_missing, unicode_safe],
        "organization_id": [ignore_missing, unicode_safe],
        "package_id": [ignore_missing, unicode_safe],
        "overdue": [ignore_missing, FIELDS.flag],
        "date_from": [ignore_missing, FIELDS.iso_date],
        "date_to": [ignore_missing, FIELDS.iso_date],
        "limit": [FIELDS.whole_number(1, MAX_LIMIT)],
        "offset": [FIELDS.whole_number(0, MAX_OFFSET)],
    }


@validator_args
def request_counts_schema(ignore_missing, unicode_safe) -> Schema:
    return {"organization_id": [ignore_missing, unicode_safe]}


@validator_args
def ledger_export_schema(ignore_missing) -> Schema:
    schema = request_list_schema()
    schema.pop("scope")
    schema["format"] = [ignore_missing, FIELDS.choice(("xlsx", "csv"))]
    return schema


@validator_args
def grant_list_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "scope": [ignore_missing, FIELDS.choice(LIST_SCOPES)],
        "package_id": [ignore_missing, unicode_safe],
        "include_inactive": [ignore_missing, FIELDS.flag],
    }


@validator_args
def grant_revoke_schema(ignore_missing, unicode_safe) -> Schema:
    return {"id": [FIELDS.required, unicode_safe], "reason": [FIELDS.required, unicode_safe, FIELDS.max_length(2000)]}


@validator_args
def reminders_schema(ignore_missing) -> Schema:
    return {"today": [ignore_missing, FIELDS.iso_date]}
