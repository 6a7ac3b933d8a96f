"""Schemas of the data-subject actions, built from the package's validators.

Field labels are English here; their Chinese is in the zh_Hans_CN catalogue.
"""
from __future__ import annotations

from typing import Any

from ckan.logic.schema import validator_args
from ckan.types import Schema

from ckanext.govdata.messages import bilingual
from ckanext.govdata.validators import Fields, stripped
from ckanext.govdata.validators.identity import BY_VALUE

EXPORT_FORMATS = ("xlsx", "csv")
CHANNELS = ("download", "dump", "datastore_search", "datastore_search_sql", "mydata", "dataapi")
# Why a read was allowed (grants.AccessLog.basis).
BASES = ("grant", "department", "sysadmin", "subject")
MAX_LIMIT = 1000
MAX_OFFSET = 10_000_000

FIELDS = Fields({
    "id": "ID",
    "document_type": "Document type",
    "number": "Document number",
    "agent_name": "Agent's name",
    "challenge_id": "Verification",
    "answer": "Verification code",
    "subject_id": "Data subject",
    "package_id": "Dataset",
    "resource_id": "Resource",
    "row": "Row",
    "description": "Error description",
    "grantee": "Authorised user or application",
    "purpose": "Purpose",
    "starts_on": "Valid from",
    "expires_on": "Valid until",
    "reason": "Reason",
    "organization_id": "Department",
    "user": "User",
    "subject": "Data subject document number",
    "channel": "Path",
    "date_from": "From",
    "date_to": "Until",
    "format": "Format",
    "limit": "Limit",
    "offset": "Offset",
})


def _error(field: str, msgid: str, **params: Any) -> str:
    """``msgid`` naming ``field`` in Chinese and English (extracted for translation as ``error``)."""
    return bilingual(msgid, field=FIELDS.label(field), **params)


@validator_args
def verify_start_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "document_type": [FIELDS.required, FIELDS.choice(tuple(BY_VALUE))],
        "number": [FIELDS.required, FIELDS.text, stripped, FIELDS.max_length(64)],
        "agent_name": [ignore_missing, stripped, FIELDS.text, FIELDS.max_length(200)],
    }


@validator_args
def verify_confirm_schema(unicode_safe) -> Schema:
    return {
        "challenge_id": [FIELDS.required, unicode_safe],
        "answer": [FIELDS.required, FIELDS.text, stripped, FIELDS.max_length(200)],
    }


@validator_args
def empty_schema() -> Schema:
    return {}


@validator_args
def rows_schema(ignore_missing, unicode_safe) -> Schema:
    return {"subject_id": [ignore_missing, unicode_safe], "package_id": [ignore_missing, unicode_safe]}


@validator_args
def flag_schema(unicode_safe) -> Schema:
    return {
        "subject_id": [FIELDS.required, unicode_safe],
        "resource_id": [FIELDS.required, unicode_safe],
        "row": [FIELDS.required, FIELDS.whole_number(1, 2**62)],
        "description": [FIELDS.required, FIELDS.text, FIELDS.max_length(4000)],
    }


@validator_args
def grant_create_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "subject_id": [FIELDS.required, unicode_safe],
        "package_id": [FIELDS.required, unicode_safe],
        "grantee": [FIELDS.required, FIELDS.text, stripped, FIELDS.max_length(200)],
        "purpose": [FIELDS.required, FIELDS.text, FIELDS.max_length(1000)],
        "starts_on": [ignore_missing, FIELDS.iso_date],
        "expires_on": [FIELDS.required, FIELDS.iso_date],
    }


@validator_args
def grant_revoke_schema(ignore_missing, unicode_safe) -> Schema:
    return {"id": [FIELDS.required, unicode_safe], "reason": [ignore_missing, stripped, FIELDS.text, FIELDS.max_length(1000)]}


@validator_args
def grant_list_schema(ignore_missing, unicode_safe) -> Schema:
    return {"subject_id": [ignore_missing, unicode_safe], "include_inactive": [ignore_missing, FIELDS.flag]}


@validator_args
def audit_list_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "package_id": [ignore_missing, unicode_safe],
        "organization_id": [ignore_missing, unicode_safe],
        "user": [ignore_missing, unicode_safe],
        "subject": [ignore_missing, FIELDS.text, stripped, FIELDS.max_length(64)],
        "channel": [ignore_missing, FIELDS.choice(CHANNELS)],
        "basis": [ignore_missing, FIELDS.choice(BASES)],
        "date_from": [ignore_missing, FIELDS.iso_date],
        "date_to": [ignore_missing, FIELDS.iso_date],
        "limit": [FIELDS.whole_number(1, MAX_LIMIT)],
        "offset": [FIELDS.whole_number(0, MAX_OFFSET)],
    }


@validator_args
def audit_export_schema(ignore_missing, unicode_safe) -> Schema:
    schema = audit_list_schema()
    schema.pop("limit")
    schema.pop("offset")
    schema["format"] = [ignore_missing, FIELDS.choice(EXPORT_FORMATS)]
    return schema


@validator_args
def subject_audit_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "subject_id": [ignore_missing, unicode_safe],
        "limit": [FIELDS.whole_number(1, MAX_LIMIT)],
        "offset": [FIELDS.whole_number(0, MAX_OFFSET)],
    }
