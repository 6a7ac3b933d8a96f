"""Schemas of the demand actions, built from the package's validators.

Field labels are English here; their Chinese is in the zh_Hans_CN catalogue.
"""
from __future__ import annotations

from typing import Any

from ckan.logic.schema import validator_args
from ckan.types import Schema

from ckanext.govdata import vocabularies
from ckanext.govdata.validators import Fields, rules, stripped

ROUTE_OUTCOMES = ("route", "dismiss")
DECISIONS = ("accept", "decline", "already_open")
LIST_SCOPES = ("public", "mine", "queue")
SORTS = ("newest", "supporters")
FORMATS = ("xlsx", "csv")
MAX_LIMIT = 1000
MAX_OFFSET = 10_000_000

FIELDS = Fields({
    "id": "Demand ID",
    "title": "Name of the data needed",
    "description": "Description of the data",
    "purpose": "Purpose",
    "domain": "Domain",
    "suggested_organization_id": "Suggested department",
    "contact_name": "Contact name",
    "contact_phone": "Contact phone",
    "contact_email": "Contact email",
    "organization_id": "Department",
    "outcome": "Routing outcome",
    "decision": "Decision",
    "reason": "Reason",
    "package_id": "Dataset",
    "resource_id": "Resource",
    "scope": "Scope",
    "state": "State",
    "q": "Search",
    "sort": "Sort",
    "overdue": "Overdue only",
    "format": "File format",
    "today": "Day",
    "limit": "Limit",
    "offset": "Offset",
    "rate_limit": "Submissions",
})


def _error(field: str, msgid: str, **params: Any) -> str:
    """``msgid`` naming ``field`` in Chinese and English."""
    return FIELDS.message(field, msgid, **params)


@validator_args
def demand_create_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "title": [FIELDS.required, FIELDS.text, FIELDS.max_length(200)],
        "description": [FIELDS.required, FIELDS.text, FIELDS.max_length(4000)],
        "purpose": [FIELDS.required, FIELDS.text, FIELDS.max_length(2000)],
        "domain": [ignore_missing, FIELDS.choice(vocabularies.values("domains"))],
        "suggested_organization_id": [ignore_missing, unicode_safe, stripped],
        "contact_name": [FIELDS.required, FIELDS.text, FIELDS.max_length(100)],
        "contact_phone": [ignore_missing, unicode_safe, stripped, FIELDS.pattern(rules.PHONE_PATTERN)],
        "contact_email": [ignore_missing, unicode_safe, stripped, FIELDS.pattern(rules.EMAIL_PATTERN),
                          FIELDS.max_length(200)],
    }


@validator_args
def demand_id_schema(unicode_safe) -> Schema:
    return {"id": [FIELDS.required, unicode_safe]}


@validator_args
def demand_route_schema(ignore_missing, unicode_safe, default) -> Schema:
    return {
        "id": [FIELDS.required, unicode_safe],
        "outcome": [default("route"), FIELDS.choice(ROUTE_OUTCOMES)],
        "organization_id": [ignore_missing, unicode_safe],
        "reason": [ignore_missing, FIELDS.text, FIELDS.max_length(2000)],
    }


@validator_args
def demand_confirm_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "id": [FIELDS.required, unicode_safe],
        "decision": [FIELDS.required, FIELDS.choice(DECISIONS)],
        "reason": [ignore_missing, FIELDS.text, FIELDS.max_length(2000)],
        "package_id": [ignore_missing, unicode_safe],
        "resource_id": [ignore_missing, unicode_safe],
    }


@validator_args
def demand_provide_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "id": [FIELDS.required, unicode_safe],
        "package_id": [FIELDS.required, unicode_safe],
        "resource_id": [ignore_missing, unicode_safe],
        "reason": [ignore_missing, FIELDS.text, FIELDS.max_length(2000)],
    }


@validator_args
def demand_withdraw_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "id": [FIELDS.required, unicode_safe],
        "reason": [ignore_missing, FIELDS.text, FIELDS.max_length(2000)],
    }


@validator_args
def demand_list_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "scope": [ignore_missing, FIELDS.choice(LIST_SCOPES)],
        "state": [ignore_missing, unicode_safe],
        "organization_id": [ignore_missing, unicode_safe],
        "domain": [ignore_missing, FIELDS.choice(vocabularies.values("domains"))],
        "q": [ignore_missing, FIELDS.text, FIELDS.max_length(100)],
        "overdue": [ignore_missing, FIELDS.flag],
        "sort": [ignore_missing, FIELDS.choice(SORTS)],
        "limit": [FIELDS.whole_number(1, MAX_LIMIT)],
        "offset": [FIELDS.whole_number(0, MAX_OFFSET)],
    }


@validator_args
def ledger_export_schema(ignore_missing) -> Schema:
    schema = demand_list_schema()
    for name in ("scope", "sort", "limit", "offset"):
        schema.pop(name)
    schema["format"] = [ignore_missing, FIELDS.choice(FORMATS)]
    return schema


@validator_args
def reminders_schema(ignore_missing) -> Schema:
    return {"today": [ignore_missing, FIELDS.iso_date]}
