"""Background jobs of uploads: data items for a dataset from its freshly loaded tables."""
from __future__ import annotations

import logging

import ckan.plugins.toolkit as tk

log = logging.getLogger(__name__)


def propose_data_items(package_id: str) -> None:
    """Writes the data items the dataset's tables suggest, if it declares none (yet)."""
    site_user = tk.get_action("get_site_user")({"ignore_auth": True}, {})
    try:
        package = tk.get_action("package_show")({"user": site_user["name"]}, {"id": package_id})
        if package.get("data_items"):
            return
        tk.get_action("govdata_data_items_apply")({"user": site_user["name"]}, {"id": package_id})
    except (tk.ObjectNotFound, tk.ValidationError) as refused:
        # Gone, not a catalogue entry, or no valid items in its tables: staff declare them by hand.
        log.warning("No data items proposed for %s: %s", package_id, refused)
