"""Display names of request states, history steps, notices and ledger columns.

Written as literal ``_()`` calls so that the translation catalogue picks them up; called when
a page or an export is rendered, in the language of the request.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def state_label(state: str | None) -> str:
    labels = {
        "draft": tk._("Draft"),
        "submitted": tk._("Awaiting platform check"),
        "department_review": tk._("Awaiting department review"),
        "approved": tk._("Approved"),
        "rejected": tk._("Rejected"),
        "returned": tk._("Returned for more information"),
        "withdrawn": tk._("Withdrawn"),
    }
    return labels.get(state or "", state or "")


def step_label(action: str | None) -> str:
    labels = {
        "created": tk._("Created"),
        "updated": tk._("Changed"),
        "submitted": tk._("Request submitted"),
        "platform_passed": tk._("Passed platform check"),
        "approved": tk._("Approved"),
        "rejected": tk._("Rejected"),
        "returned": tk._("Returned for more information"),
        "withdrawn": tk._("Withdrawn"),
        "revoked": tk._("Grant revoked"),
        "reminded": tk._("Reminder sent"),
    }
    return labels.get(action or "", action or "")


def notice_label(kind: str | None) -> str:
    labels = {
        "to_review": tk._("A request awaits your department's review"),
        "approved": tk._("Your data request was approved"),
        "rejected": tk._("Your data request was rejected"),
        "returned": tk._("Your data request needs more information"),
        "due_soon": tk._("A data request is due soon"),
        "overdue": tk._("A data request is overdue"),
    }
    return labels.get(kind or "", kind or "")


def applicant_type_label(value: str | None) -> str:
    return {"person": tk._("Person"), "organisation": tk._("Organisation")}.get(value or "", value or "")


def timeliness_label(value: str | None) -> str:
    return {"on_time": tk._("On time"), "overdue": tk._("Overdue")}.get(value or "", "")


def grant_status_label(value: str | None) -> str:
    labels = {
        "active": tk._("Active"),
        "pending": tk._("Not started"),
        "expired": tk._("Expired"),
        "revoked": tk._("Revoked"),
    }
    return labels.get(value or "", value or "")


def channel_label(channel: str | None) -> str:
    labels = {
        "download": tk._("File downloads"),
        "datastore_search": tk._("Data API queries"),
        "datastore_search_sql": tk._("SQL queries"),
        "dump": tk._("Table exports"),
    }
    return labels.get(channel or "", channel or "")


def ledger_columns() -> list[tuple[str, str]]:
    return [
        ("id", tk._("Request ID")),
        ("applicant_name", tk._("Applicant")),
        ("applicant_type", tk._("Applicant type")),
        ("credit_code", tk._("Unified social credit code")),
        ("user_name", tk._("Account")),
        ("package_title", tk._("Dataset")),
        ("organization_title", tk._("Department")),
        ("state", tk._("State")),
        ("submitted_at", tk._("Submitted")),
        ("limit_days", tk._("Time limit (working days)")),
        ("due_date", tk._("Deadline")),
        ("decided_at", tk._("Decided")),
        ("working_days_taken", tk._("Working days taken")),
        ("timeliness", tk._("On time?")),
        ("decision_reason", tk._("Reason")),
    ]


def step_columns() -> list[tuple[str, str]]:
    return [
        ("request_id", tk._("Request ID")),
        ("action", tk._("Step")),
        ("actor", tk._("By")),
        ("created", tk._("At")),
        ("from_state", tk._("From")),
        ("to_state", tk._("To")),
        ("working_days", tk._("Working days since submission")),
        ("note", tk._("Note")),
    ]
