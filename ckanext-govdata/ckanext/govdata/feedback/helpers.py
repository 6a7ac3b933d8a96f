"""Template helpers of feedback: labels, the dataset page's counts, what the caller may do."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.common import current_user

from ckanext.govdata import open_condition, settings
from ckanext.govdata.feedback import labels, workflow


def _context() -> dict[str, Any]:
    return {"user": current_user.name if current_user.is_authenticated else "", "auth_user_obj": current_user}


def govdata_feedback_ratings(package_id: str) -> dict[str, Any] | None:
    """The dataset's good and bad counts and the caller's rating; None for an unpublished one."""
    try:
        return tk.get_action("govdata_rating_summary")(_context(), {"package_id": package_id})
    except (tk.ValidationError, tk.ObjectNotFound, tk.NotAuthorized):
        return None


def govdata_correction_operations(correction: dict[str, Any]) -> list[str]:
    """What the signed-in user may do with a report now (the workflow table decides)."""
    return workflow.allowed_operations(workflow.CORRECTIONS, correction, open_condition.Viewer.current())


def govdata_rectification_operations(item: dict[str, Any]) -> list[str]:
    return workflow.allowed_operations(workflow.RECTIFICATIONS, item, open_condition.Viewer.current())


def govdata_feedback_is_staff() -> bool:
    viewer = open_condition.Viewer.current()
    return viewer.sysadmin or bool(viewer.staff_orgs())


def govdata_feedback_limit_days() -> int:
    """Working days a department has to answer an error report."""
    return settings.current().feedback.correction_limit_days


def all_helpers() -> dict[str, Any]:
    return {
        "govdata_feedback_state_label": labels.state_label,
        "govdata_feedback_step_label": labels.step_label,
        "govdata_feedback_notice_label": labels.notice_label,
        "govdata_feedback_rating_label": labels.rating_label,
        "govdata_feedback_timeliness_label": labels.timeliness_label,
        "govdata_feedback_ratings": govdata_feedback_ratings,
        "govdata_correction_operations": govdata_correction_operations,
        "govdata_rectification_operations": govdata_rectification_operations,
        "govdata_feedback_is_staff": govdata_feedback_is_staff,
        "govdata_feedback_limit_days": govdata_feedback_limit_days,
    }
