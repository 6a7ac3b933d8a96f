"""Display names of demand states, steps, notices, timeliness and ledger columns.

Written as literal ``_()`` calls so that the translation catalogue picks them up; called when
a page, a mail or an export is rendered, in the language of the request.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def state_label(state: str | None) -> str:
    labels = {
        "submitted": tk._("Awaiting routing"),
        "routed": tk._("Awaiting department confirmation"),
        "accepted": tk._("Accepted, data in preparation"),
        "provided": tk._("Data provided"),
        "already_open": tk._("Data already open"),
        "declined": tk._("Declined"),
        "dismissed": tk._("Dismissed by the bureau"),
        "withdrawn": tk._("Withdrawn"),
    }
    return labels.get(state or "", state or "")


def step_label(action: str | None) -> str:
    labels = {
        "submitted": tk._("Demand submitted"),
        "routed": tk._("Routed to a department"),
        "rerouted": tk._("Routed to another department"),
        "dismissed": tk._("Dismissed by the bureau"),
        "accepted": tk._("Demand accepted"),
        "already_open": tk._("Confirmed as already open"),
        "declined": tk._("Declined"),
        "provided": tk._("Data provided"),
        "withdrawn": tk._("Withdrawn"),
        "reminded": tk._("Reminder sent"),
    }
    return labels.get(action or "", action or "")


def notice_label(kind: str | None) -> str:
    labels = {
        "new_demand": tk._("A new data demand awaits routing"),
        "to_confirm": tk._("A data demand was routed to your department"),
        "routed": tk._("Your data demand was routed to a department"),
        "accepted": tk._("Your data demand was accepted"),
        "declined": tk._("Your data demand was declined"),
        "already_open": tk._("The data you asked for is already open"),
        "provided": tk._("The data you asked for is provided"),
        "dismissed": tk._("Your data demand was dismissed"),
        "due_soon": tk._("A data demand is due soon"),
        "overdue": tk._("A data demand is overdue"),
    }
    return labels.get(kind or "", kind or "")


def timeliness_label(value: str | None) -> str:
    return {"on_time": tk._("On time"), "overdue": tk._("Overdue")}.get(value or "", "")


def ledger_columns() -> list[tuple[str, str]]:
    return [
        ("id", tk._("Demand ID")),
        ("title", tk._("Name of the data needed")),
        ("contact_name", tk._("Requester")),
        ("user_name", tk._("Account")),
        ("contact_phone", tk._("Contact phone")),
        ("contact_email", tk._("Contact email")),
        ("organization_title", tk._("Department")),
        ("state", tk._("State")),
        ("submitted_at", tk._("Submitted")),
        ("routed_at", tk._("Routed")),
        ("confirm_due", tk._("Confirm by")),
        ("confirmed_at", tk._("Confirmed")),
        ("confirm_days_taken", tk._("Working days to confirm")),
        ("confirm_timeliness", tk._("Confirmed on time?")),
        ("provide_due", tk._("Provide by")),
        ("provided_at", tk._("Provided")),
        ("provide_days_taken", tk._("Working days to provide")),
        ("provide_timeliness", tk._("Provided on time?")),
        ("package_title", tk._("Dataset")),
        ("reason", tk._("Reason")),
        ("supporters", tk._("Supporters")),
    ]


def step_columns() -> list[tuple[str, str]]:
    return [
        ("demand_id", tk._("Demand ID")),
        ("action", tk._("Step")),
        ("actor", tk._("By")),
        ("created", tk._("At")),
        ("from_state", tk._("From")),
        ("to_state", tk._("To")),
        ("working_days", tk._("Working days taken")),
        ("timeliness", tk._("On time?")),
        ("note", tk._("Note")),
    ]
