"""Schemas of the curation actions."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.govdata.curation import review
from ckanext.govdata.validators import Fields

ignore_missing = tk.get_validator("ignore_missing")
unicode_safe = tk.get_validator("unicode_safe")

Schema = dict[str, Any]

# Field labels in English; their Chinese is in the zh_Hans_CN catalogue.
fields = Fields({
    "upload": "Directory spreadsheet",
    "partial": "Write the valid rows and hand back the others",
    "token": "Returned rows",
    "confirm_duplicates": "Import likely duplicates too",
    "background": "Import large files in the background",
    "job": "Import job",
    "id": "Dataset or API",
    "comment": "Comment",
    "decision": "Decision",
    "review_state": "Review state",
    "rows": "Rows",
    "start": "Start",
})


def catalogue_import_schema() -> Schema:
    return {
        "upload": [fields.required],
        "partial": [fields.flag],
        "confirm_duplicates": [fields.flag],
        "background": [fields.flag],
    }


def catalogue_import_status_schema() -> Schema:
    return {"job": [fields.required, fields.text]}


def catalogue_returned_schema() -> Schema:
    return {"token": [fields.required, fields.text]}


def review_submit_schema() -> Schema:
    return {"id": [fields.required, unicode_safe], "comment": [ignore_missing, fields.text, fields.max_length(2000)]}


def review_decide_schema() -> Schema:
    return {
        "id": [fields.required, unicode_safe],
        "decision": [fields.required, fields.choice(review.DECISIONS)],
        "comment": [ignore_missing, fields.text, fields.max_length(2000)],
    }


def review_show_schema() -> Schema:
    return {"id": [fields.required, unicode_safe]}


def review_list_schema() -> Schema:
    default = tk.get_validator("default")
    return {
        "review_state": [default(review.SUBMITTED), fields.choice(review.STATES)],
        "rows": [default(100), fields.whole_number(1, 1000)],
        "start": [default(0), fields.whole_number(0, 100000)],
    }


def report_schema() -> Schema:
    return {"id": [ignore_missing, unicode_safe]}
