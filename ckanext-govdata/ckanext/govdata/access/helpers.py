"""Template helpers of conditional opening."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan.common import current_user

from ckanext.govdata import calendar, open_condition
from ckanext.govdata.access import labels, workflow
from ckanext.govdata.validators import identity


def govdata_access_user_grants(package_id: str) -> list[dict[str, Any]]:
    """The signed-in user's current grants on a dataset (shown on the dataset page)."""
    if not current_user.is_authenticated:
        return []
    context = {"user": current_user.name, "auth_user_obj": current_user}
    return tk.get_action("govdata_access_grant_list")(context, {"scope": "mine", "package_id": package_id})


def govdata_access_allowed_operations(access_request: dict[str, Any]) -> list[str]:
    """What the signed-in user may do with a request now (the workflow table decides)."""
    return workflow.allowed_operations(access_request, open_condition.Viewer.current())


def govdata_access_filter_states() -> list[str]:
    """The state filter of the review pages: all awaiting a decision, then each state reviewers see."""
    return [",".join(workflow.PENDING_STATES), *(state for state in workflow.STATES if state != workflow.DRAFT)]


def govdata_access_is_reviewer() -> bool:
    viewer = open_condition.Viewer.current()
    return viewer.sysadmin or bool(viewer.staff_orgs())


@tk.chained_helper
def resource_view_get_fields(next_helper: Any, resource: dict[str, Any]) -> list[str]:
    """A view's filter fields come from a datastore query: none for a table the user may not read."""
    try:
        return next_helper(resource)
    except tk.NotAuthorized:
        return []


def govdata_access_document_options(subject_type: str) -> list[dict[str, str]]:
    """The identity documents that can name a data subject of ``subject_type`` (form options)."""
    allowed = identity.PERSON_DOCUMENTS if subject_type == "person" else identity.ENTERPRISE_DOCUMENTS
    return [{"value": value, "text": tk._(identity.BY_VALUE[value].label)} for value in allowed]


def govdata_access_document_label(document_type: str | None) -> str:
    document = identity.BY_VALUE.get(document_type or "")
    return tk._(document.label) if document else ""


def all_helpers() -> dict[str, Any]:
    return {
        "govdata_access_document_options": govdata_access_document_options,
        "govdata_access_document_label": govdata_access_document_label,
        "govdata_access_state_label": labels.state_label,
        "govdata_access_step_label": labels.step_label,
        "govdata_access_notice_label": labels.notice_label,
        "govdata_access_applicant_type_label": labels.applicant_type_label,
        "govdata_access_timeliness_label": labels.timeliness_label,
        "govdata_access_grant_status_label": labels.grant_status_label,
        "govdata_access_channel_label": labels.channel_label,
        "govdata_access_may_apply": open_condition.may_apply,
        "govdata_access_user_grants": govdata_access_user_grants,
        "govdata_access_is_reviewer": govdata_access_is_reviewer,
        "govdata_access_allowed_operations": govdata_access_allowed_operations,
        "govdata_access_filter_states": govdata_access_filter_states,
        "govdata_calendar_missing_years": calendar.missing_schedule_years,
        "resource_view_get_fields": resource_view_get_fields,
    }
