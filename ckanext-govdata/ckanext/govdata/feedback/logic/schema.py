"""Schemas of the feedback actions, built from the package's validators.

Field labels are English here; their Chinese is in the zh_Hans_CN catalogue.
"""
from __future__ import annotations

from typing import Any

from ckan.logic.schema import validator_args
from ckan.types import Schema

from ckanext.govdata.messages import bilingual
from ckanext.govdata.validators import Fields, stripped

DECISIONS = ("fix", "reject")
RATING_VALUES = ("good", "bad")
LIST_SCOPES = ("mine", "review")
MAX_LIMIT = 1000
MAX_OFFSET = 10_000_000

FIELDS = Fields({
    "id": "Item ID",
    "package_id": "Dataset",
    "resource_id": "Resource",
    "location": "Row or field",
    "description": "Error description",
    "attachment": "Attachment",
    "decision": "Decision",
    "note": "Note",
    "reason": "Reason",
    "fixed_resource_id": "New version (resource)",
    "fixed_activity_id": "New version (dataset activity)",
    "value": "Rating",
    "scope": "Scope",
    "state": "State",
    "organization_id": "Department",
    "overdue": "Overdue only",
    "date_from": "Submitted from",
    "date_to": "Submitted until",
    "limit": "Limit",
    "offset": "Offset",
    "rate_limit": "Report limit",
    "correction_id": "Report ID",
})


def _error(field: str, msgid: str, **params: Any) -> str:
    """``msgid`` naming ``field`` in Chinese and English (extracted for translation as ``error``)."""
    return bilingual(msgid, field=FIELDS.label(field), **params)


@validator_args
def correction_create_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "package_id": [FIELDS.required, unicode_safe],
        "resource_id": [ignore_missing, unicode_safe, stripped],
        "location": [ignore_missing, stripped, FIELDS.text, FIELDS.max_length(500)],
        "description": [FIELDS.required, FIELDS.text, FIELDS.max_length(4000)],
        "attachment": [ignore_missing],
    }


@validator_args
def id_schema(unicode_safe) -> Schema:
    return {"id": [FIELDS.required, unicode_safe]}


@validator_args
def correction_decide_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "id": [FIELDS.required, unicode_safe],
        "decision": [FIELDS.required, FIELDS.choice(DECISIONS)],
        "note": [ignore_missing, stripped, FIELDS.text, FIELDS.max_length(4000)],
        "fixed_resource_id": [ignore_missing, unicode_safe, stripped],
        "fixed_activity_id": [ignore_missing, unicode_safe, stripped],
    }


@validator_args
def correction_withdraw_schema(ignore_missing, unicode_safe) -> Schema:
    return {"id": [FIELDS.required, unicode_safe], "reason": [ignore_missing, stripped, FIELDS.text, FIELDS.max_length(2000)]}


@validator_args
def list_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "scope": [ignore_missing, FIELDS.choice(LIST_SCOPES)],
        "state": [ignore_missing, unicode_safe],
        "organization_id": [ignore_missing, unicode_safe],
        "package_id": [ignore_missing, unicode_safe],
        "overdue": [ignore_missing, FIELDS.flag],
        "limit": [FIELDS.whole_number(1, MAX_LIMIT)],
        "offset": [FIELDS.whole_number(0, MAX_OFFSET)],
    }


@validator_args
def stats_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "organization_id": [ignore_missing, unicode_safe],
        "date_from": [ignore_missing, FIELDS.iso_date],
        "date_to": [ignore_missing, FIELDS.iso_date],
    }


@validator_args
def rating_create_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "package_id": [FIELDS.required, unicode_safe],
        "value": [FIELDS.required, FIELDS.choice(RATING_VALUES)],
        "reason": [ignore_missing, stripped, FIELDS.text, FIELDS.max_length(1000)],
    }


@validator_args
def rating_summary_schema(unicode_safe) -> Schema:
    return {"package_id": [FIELDS.required, unicode_safe]}


@validator_args
def rectify_schema(unicode_safe) -> Schema:
    return {
        "id": [FIELDS.required, unicode_safe],
        "note": [FIELDS.required, FIELDS.text, FIELDS.max_length(4000)],
    }


@validator_args
def notice_read_schema(ignore_missing, unicode_safe) -> Schema:
    return {"id": [ignore_missing, unicode_safe], "correction_id": [ignore_missing, unicode_safe]}
