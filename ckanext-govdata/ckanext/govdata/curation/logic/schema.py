"""Schemas of the curation actions."""
from __future__ import annotations

from typing import Any

from ckanext.govdata.validators import Fields

Schema = dict[str, Any]

# Field labels in English; their Chinese is in the zh_Hans_CN catalogue.
fields = Fields({
    "upload": "Directory spreadsheet",
    "partial": "Write the valid rows and hand back the others",
    "token": "Returned rows",
})


def catalogue_import_schema() -> Schema:
    return {
        "upload": [fields.required],
        "partial": [fields.flag],
    }


def catalogue_returned_schema() -> Schema:
    return {"token": [fields.required, fields.text]}
