"""Schemas of the application and usage actions. Field labels are English here; their Chinese
is in the zh_Hans_CN catalogue."""
from __future__ import annotations

from typing import Any

from ckan.logic.schema import validator_args
from ckan.types import Schema

from ckanext.govdata.messages import bilingual
from ckanext.govdata.validators import Fields, stripped

MAX_SCOPE = 100

FIELDS = Fields({
    "id": "Application ID",
    "name": "Application name",
    "description": "Description",
    "homepage": "Homepage URL",
    "scope": "Scope (APIs)",
    "expires_at": "Expiry date",
    "plan": "Plan",
    "user_id": "User",
    "organization_id": "Department",
    "date_from": "Called from",
    "date_to": "Called until",
    "format": "Format",
})


def _error(field: str, msgid: str, **params: Any) -> str:
    return bilingual(msgid, field=FIELDS.label(field), **params)


@validator_args
def app_create_schema(ignore_missing) -> Schema:
    return {
        "name": [FIELDS.required, stripped, FIELDS.text, FIELDS.max_length(100)],
        "description": [ignore_missing, stripped, FIELDS.text, FIELDS.max_length(2000)],
        "homepage": [ignore_missing, stripped, FIELDS.http_url, FIELDS.max_length(500)],
        "scope": [FIELDS.string_list],
        "expires_at": [ignore_missing, FIELDS.iso_date],
    }


@validator_args
def app_update_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "id": [FIELDS.required, unicode_safe],
        "name": [ignore_missing, stripped, FIELDS.text, FIELDS.max_length(100)],
        "description": [ignore_missing, stripped, FIELDS.text, FIELDS.max_length(2000)],
        "homepage": [ignore_missing, stripped, FIELDS.http_url, FIELDS.max_length(500)],
        "scope": [ignore_missing, FIELDS.string_list],
        "expires_at": [ignore_missing, stripped],
        "plan": [ignore_missing, unicode_safe],
    }


@validator_args
def id_schema(unicode_safe) -> Schema:
    return {"id": [FIELDS.required, unicode_safe]}


@validator_args
def app_list_schema(ignore_missing, unicode_safe) -> Schema:
    return {"user_id": [ignore_missing, unicode_safe]}


@validator_args
def usage_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "id": [ignore_missing, unicode_safe],
        "organization_id": [ignore_missing, unicode_safe],
        "date_from": [ignore_missing, FIELDS.iso_date],
        "date_to": [ignore_missing, FIELDS.iso_date],
        "format": [ignore_missing, FIELDS.choice(("csv", "xlsx"))],
    }
