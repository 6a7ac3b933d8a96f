"""Schemas of the stats actions, from CKAN's validators and the shared ``validators.Fields``."""
from __future__ import annotations

from ckan.logic.schema import validator_args
from ckan.types import Schema, Validator, ValidatorFactory

from ckanext.govdata.stats import bulletins, counters, feature_figures
from ckanext.govdata.validators import Fields

REPORT_SORT_KEYS = (
    "title",
    "department_code",
    "datasets",
    "apis",
    "without_data",
    "unpublished",
    "on_time",
    "stale",
    "stale_share",
    "downloads_recent",
    "downloads_all_time",
    "api_calls_recent",
    "api_calls_all_time",
    *feature_figures.COLUMNS,
)
SORT_ORDERS = ("asc", "desc")
MAX_BREAKDOWN_LIMIT = 1000

# Field labels in English; their Chinese is in the zh_Hans_CN catalogue.
fields = Fields({
    "scope": "Scope", "audience": "Audience", "limit": "Limit", "sort": "Sort", "order": "Order", "package_ids": "Datasets",
    "kind": "Kind", "date": "Date", "offset": "Offset",
})
MAX_BULLETIN_LIMIT = 500


@validator_args
def statistics_schema(
    default: ValidatorFactory,
    ignore_missing: Validator,
    unicode_safe: Validator,
) -> Schema:
    return {
        "scope": [default(counters.SITE), unicode_safe, fields.choice(counters.SCOPES)],
        "id": [ignore_missing, unicode_safe],
        "audience": [default(counters.PUBLIC), unicode_safe, fields.choice(counters.AUDIENCES)],
        "limit": [default(100), fields.whole_number(1, MAX_BREAKDOWN_LIMIT)],
    }


@validator_args
def department_report_schema(
    default: ValidatorFactory,
    ignore_missing: Validator,
    unicode_safe: Validator,
) -> Schema:
    return {
        "id": [ignore_missing, unicode_safe],
        "sort": [default("title"), unicode_safe, fields.choice(REPORT_SORT_KEYS)],
        "order": [default("asc"), unicode_safe, fields.choice(SORT_ORDERS)],
    }


def stats_refresh_schema() -> Schema:
    return {"package_ids": [fields.required, fields.string_list]}


@validator_args
def bulletin_generate_schema(ignore_missing: Validator, unicode_safe: Validator) -> Schema:
    return {
        "kind": [fields.required, unicode_safe, fields.choice(bulletins.KINDS)],
        "date": [ignore_missing, fields.iso_date],
    }


@validator_args
def bulletin_list_schema(default: ValidatorFactory, ignore_missing: Validator, unicode_safe: Validator) -> Schema:
    return {
        "kind": [ignore_missing, unicode_safe, fields.choice(bulletins.KINDS)],
        "id": [ignore_missing, unicode_safe],
        "limit": [default(50), fields.whole_number(1, MAX_BULLETIN_LIMIT)],
        "offset": [default(0), fields.whole_number(0)],
    }


@validator_args
def bulletin_show_schema(unicode_safe: Validator) -> Schema:
    return {"id": [fields.required, unicode_safe]}
