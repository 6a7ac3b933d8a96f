"""Schemas of the quality actions, built from the package's validators.

Field labels are English here; their Chinese is in the zh_Hans_CN catalogue.
"""
from __future__ import annotations

from ckan.logic.schema import validator_args
from ckan.types import Schema

from ckanext.govdata.quality.kinds import DIMENSIONS, FORMATS, KINDS, TYPES
from ckanext.govdata.validators import Fields

MAX_CODES = 1000
MAX_PATTERN = 500

FIELDS = Fields({
    "id": "Rule",
    "package_id": "Dataset",
    "resource_id": "Data table",
    "organization_id": "Department",
    "run_id": "Check run",
    "rule_id": "Rule",
    "kind": "Rule kind",
    "dimension": "Quality dimension",
    "columns": "Data items",
    "type": "Value type",
    "format": "Value format",
    "pattern": "Pattern",
    "codes": "Code list",
    "target_resource_id": "Referenced data table",
    "target_column": "Referenced data item",
    "days": "Days",
})


@validator_args
def rule_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "package_id": [FIELDS.required, FIELDS.text],
        "resource_id": [ignore_missing, FIELDS.text],
        "kind": [FIELDS.required, FIELDS.choice(KINDS)],
        "dimension": [ignore_missing, FIELDS.choice(DIMENSIONS)],
        "columns": [FIELDS.string_list],
        "type": [ignore_missing, FIELDS.choice(TYPES)],
        "format": [ignore_missing, FIELDS.choice(FORMATS)],
        "pattern": [ignore_missing, FIELDS.text, FIELDS.max_length(MAX_PATTERN)],
        "codes": [FIELDS.string_list],
        "target_resource_id": [ignore_missing, FIELDS.text],
        "target_column": [ignore_missing, FIELDS.text],
    }


@validator_args
def rule_update_schema(ignore_missing, unicode_safe) -> Schema:
    schema = rule_schema()
    schema["id"] = [FIELDS.required, FIELDS.text]
    schema["package_id"] = [ignore_missing]
    return schema


@validator_args
def id_schema(ignore_missing) -> Schema:
    return {"id": [FIELDS.required, FIELDS.text]}


@validator_args
def package_schema(ignore_missing) -> Schema:
    return {"package_id": [FIELDS.required, FIELDS.text]}


@validator_args
def failing_rows_schema(ignore_missing) -> Schema:
    return {"rule_id": [FIELDS.required, FIELDS.text]}


@validator_args
def figures_schema(ignore_missing) -> Schema:
    return {
        "organization_id": [ignore_missing, FIELDS.text],
        "days": [ignore_missing, FIELDS.whole_number(1, 3660)],
    }
