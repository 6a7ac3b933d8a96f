"""Template helpers of curation: an entry's review panel."""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk

from ckanext.govdata import vocabularies
from ckanext.govdata.curation import data_items


def govdata_review(package_id: str) -> dict[str, Any] | None:
    """The entry's review for the current user, or None when they may not see it."""
    user = tk.current_user.name if tk.current_user.is_authenticated else ""
    try:
        return tk.get_action("govdata_review_show")({"user": user}, {"id": package_id})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None


def govdata_review_state_label(state: str) -> str:
    return vocabularies.label("review_states", state)


def govdata_items_mismatch(package: dict[str, Any]) -> dict[str, Any] | None:
    """Where the dataset's data items and its tables disagree, for those who may fix it."""
    if not tk.current_user.is_authenticated or not any(r.get("datastore_active") for r in package.get("resources") or []):
        return None
    # Names only: the proposal's types and lengths scan the tables, too much for every page view.
    try:
        tk.check_access("govdata_data_items_propose", {"user": tk.current_user.name}, {"id": package["id"]})
    except (tk.NotAuthorized, tk.ObjectNotFound):
        return None
    return data_items.mismatch(package)


def all_helpers() -> dict[str, Any]:
    return {
        "govdata_review": govdata_review,
        "govdata_review_state_label": govdata_review_state_label,
        "govdata_items_mismatch": govdata_items_mismatch,
    }
