"""Display names of feedback states, steps and notices.

Written as literal ``_()`` calls so that the translation catalogue picks them up; called when a
page or a mail is rendered, in the language of the request.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk


def state_label(state: str | None) -> str:
    labels = {
        "submitted": tk._("Awaiting the department"),
        "fixed": tk._("Fixed"),
        "rejected": tk._("Rejected"),
        "withdrawn": tk._("Withdrawn"),
        "open": tk._("Awaiting rectification"),
        "rectified": tk._("Rectified"),
    }
    return labels.get(state or "", state or "")


def step_label(action: str | None) -> str:
    labels = {
        "submitted": tk._("Error reported"),
        "fixed": tk._("Fixed"),
        "rejected": tk._("Rejected"),
        "withdrawn": tk._("Withdrawn"),
    }
    return labels.get(action or "", action or "")


def notice_label(kind: str | None) -> str:
    labels = {
        "correction_received": tk._("An error report awaits your department"),
        "correction_submitted": tk._("Your error report was received"),
        "correction_fixed": tk._("Your error report was fixed"),
        "correction_rejected": tk._("Your error report was rejected"),
        "rectification_opened": tk._("A bad rating awaits your department's rectification"),
        "rectification_rectified": tk._("The department rectified what your rating pointed out"),
    }
    return labels.get(kind or "", kind or "")


def rating_label(value: str | None) -> str:
    return {"good": tk._("Good"), "bad": tk._("Bad")}.get(value or "", value or "")


def timeliness_label(value: str | None) -> str:
    return {"on_time": tk._("On time"), "overdue": tk._("Overdue")}.get(value or "", "")
