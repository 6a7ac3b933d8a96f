"""Schemas of the calendar actions."""
from __future__ import annotations

from ckan.logic.schema import validator_args
from ckan.types import Schema

from ckanext.govdata.validators import Fields

FIELDS = Fields({"year": "Year", "day": "Day", "is_workday": "Working day", "note": "Note", "upload": "Schedule file"})
FIRST_YEAR, LAST_YEAR = 2000, 2100


@validator_args
def calendar_show_schema(ignore_missing) -> Schema:
    return {"year": [ignore_missing, FIELDS.whole_number(FIRST_YEAR, LAST_YEAR)]}


@validator_args
def override_set_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "day": [FIELDS.required, FIELDS.iso_date],
        "is_workday": [FIELDS.required, FIELDS.flag],
        "note": [ignore_missing, unicode_safe, FIELDS.max_length(200)],
    }


@validator_args
def override_delete_schema() -> Schema:
    return {"day": [FIELDS.required, FIELDS.iso_date]}
