"""Schemas of the stats actions, from CKAN's validators plus bilingual choice checks."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from ckan.lib.navl.dictization_functions import Invalid
from ckan.logic.schema import validator_args
from ckan.types import Schema, Validator, ValidatorFactory

from ckanext.govdata.messages import bilingual
from ckanext.govdata.stats import counters

REPORT_SORT_KEYS = (
    "title",
    "department_code",
    "datasets",
    "apis",
    "unpublished",
    "on_time",
    "stale",
    "stale_share",
    "downloads_recent",
    "downloads_all_time",
    "api_calls_recent",
    "api_calls_all_time",
    "requests",
    "days_to_decision",
)
SORT_ORDERS = ("asc", "desc")
MAX_BREAKDOWN_LIMIT = 1000


def choice(field: tuple[str, str], choices: Sequence[str]) -> Callable[[Any], Any]:
    """Accept only one of ``choices``; the refusal names the field in Chinese and English."""

    def validator(value: Any) -> Any:
        if value not in choices:
            raise Invalid(bilingual("Unknown value for {field}: {value}", field=field, value=value))
        return value

    return validator


def whole_number(field: tuple[str, str], low: int, high: int) -> Callable[[Any], int]:
    def validator(value: Any) -> int:
        try:
            number = int(str(value))
        except ValueError:
            raise Invalid(bilingual("{field} must be a whole number: {value}", field=field, value=value)) from None
        if not low <= number <= high:
            raise Invalid(bilingual("{field} must be between {low} and {high}: {value}", field=field, low=low, high=high, value=value))
        return number

    return validator


@validator_args
def statistics_schema(
    default: ValidatorFactory,
    ignore_missing: Validator,
    unicode_safe: Validator,
) -> Schema:
    return {
        "scope": [default(counters.SITE), unicode_safe, choice(("范围", "Scope"), counters.SCOPES)],
        "id": [ignore_missing, unicode_safe],
        "audience": [default(counters.PUBLIC), unicode_safe, choice(("受众", "Audience"), counters.AUDIENCES)],
        "limit": [default(100), whole_number(("数量上限", "Limit"), 1, MAX_BREAKDOWN_LIMIT)],
    }


@validator_args
def department_report_schema(
    default: ValidatorFactory,
    ignore_missing: Validator,
    unicode_safe: Validator,
) -> Schema:
    return {
        "id": [ignore_missing, unicode_safe],
        "sort": [default("title"), unicode_safe, choice(("排序", "Sort"), REPORT_SORT_KEYS)],
        "order": [default("asc"), unicode_safe, choice(("顺序", "Order"), SORT_ORDERS)],
    }
