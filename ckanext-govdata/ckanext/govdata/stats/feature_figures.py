"""The monitoring report's figures that other feature plugins hold (access requests, data
demands, error reports, ratings, data quality). Stats imports no other feature: each is asked of
its action, as the bureau, and is left out when its plugin is not loaded."""
from __future__ import annotations

from collections import defaultdict
from typing import Any

import ckan.plugins.toolkit as tk

# The monitoring report's figures that other feature plugins hold, each asked of its action
# (as the bureau; nothing when the plugin is not loaded): action → its figure → report column.
FIGURES: dict[str, dict[str, str]] = {
    "govdata_access_request_decision_times": {
        "requests": "requests", "days_to_decision": "days_to_decision", "requests_on_time_rate": "requests_on_time_rate",
        "open": "requests_open", "overdue": "requests_overdue",
    },
    "govdata_demand_figures": {
        "routed": "demands", "on_time_rate": "demands_on_time_rate", "days_to_confirm": "days_to_confirm_demand",
        "open": "demands_open", "overdue": "demands_overdue",
    },
    "govdata_correction_stats": {
        "received": "corrections", "on_time_rate": "corrections_on_time_rate", "mean_working_days": "days_to_correct",
        "open": "corrections_open", "overdue": "corrections_overdue",
    },
    "govdata_rectification_stats": {
        "bad_ratings": "bad_ratings", "rectification_rate": "rectification_rate",
        "open": "rectifications_open", "overdue": "rectifications_overdue",
    },
    "govdata_quality_figures": {"pass_rate": "quality_pass_rate"},
}
COLUMNS = tuple(column for figures in FIGURES.values() for column in figures.values())
# Counts are 0 and rates None for a department without a case.
COUNT_COLUMNS = (
    "requests", "demands", "corrections", "bad_ratings",
    "requests_open", "requests_overdue", "demands_open", "demands_overdue", "corrections_open", "corrections_overdue",
    "rectifications_open", "rectifications_overdue",
)
# What a department has open and overdue in each workflow (the daily notice): workflow → (open, overdue).
OPEN_COLUMNS = {
    "requests": ("requests_open", "requests_overdue"),
    "demands": ("demands_open", "demands_overdue"),
    "corrections": ("corrections_open", "corrections_overdue"),
    "rectifications": ("rectifications_open", "rectifications_overdue"),
}


def collect() -> dict[str, dict[str, Any]]:
    """Per department, the report columns of FIGURES."""
    bureau = {"ignore_auth": True, "user": tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]}
    columns: dict[str, dict[str, Any]] = defaultdict(dict)
    for action_name, figures in FIGURES.items():
        try:
            action = tk.get_action(action_name)
        except KeyError:
            continue
        result = action(dict(bureau), {})
        # Most answer {department: figures}; the feedback figures wrap that in "departments".
        by_department = result.get("departments", result) if isinstance(result, dict) else {}
        for department_id, values in by_department.items():
            for figure, column in figures.items():
                columns[department_id][column] = values.get(figure)
    return columns


def for_department(figures: dict[str, Any]) -> dict[str, Any]:
    """Every column of COLUMNS for one department's ``collect()`` figures."""
    return {column: figures.get(column, 0 if column in COUNT_COLUMNS else None) for column in COLUMNS}
