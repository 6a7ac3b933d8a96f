"""Template helpers of the data-subject pages: document types and grant states by name."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.govdata.validators.identity import BY_VALUE, DOCUMENT_TYPES

GRANT_STATUS_LABELS = {
    "active": "In force",
    "pending": "Not started yet",
    "expired": "Expired",
    "revoked": "Revoked",
}


def govdata_audit_amount(amount: int | None, unit: str) -> str:
    if amount is None:
        return "-"
    label = {"rows": tk._("{count} rows"), "bytes": tk._("{count} bytes")}.get(unit, "{count} " + unit)
    return label.format(count=amount)


def govdata_subject_document_types() -> list[tuple[str, str]]:
    return [(document.value, tk._(document.label)) for document in DOCUMENT_TYPES]


def govdata_subject_document_label(document_type: str) -> str:
    document = BY_VALUE.get(document_type)
    return tk._(document.label) if document else document_type


def govdata_subject_grant_status_label(status: str) -> str:
    return tk._(GRANT_STATUS_LABELS.get(status, status))


def all_helpers() -> dict[str, Any]:
    return {
        "govdata_subject_document_types": govdata_subject_document_types,
        "govdata_subject_document_label": govdata_subject_document_label,
        "govdata_subject_grant_status_label": govdata_subject_grant_status_label,
        "govdata_audit_amount": govdata_audit_amount,
    }
