"""Applications (govdata_devkeys' app keys) as data subjects name and see them.

A subject authorises an application by its public key; its grant then belongs to the
application's owner and is in force only for calls with that key (``grants.AccessGrant.app_id``).
The applications are another feature's: they are read through its action
``govdata_app_public_show``, never its tables, and there are none without that plugin.
"""
from __future__ import annotations

from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk

from ckanext.govdata import request_scope

SHOWN = "govdata_subject_apps"


def find(key_or_id: str) -> dict[str, Any] | None:
    """The application whose key (or id) is ``key_or_id``: id, key, name, owner_id, owner_name,
    owner_title and state (active, revoked, expired); None when there is none."""
    if not p.plugin_loaded("govdata_devkeys"):
        return None
    try:
        return tk.get_action("govdata_app_public_show")({"ignore_auth": True}, {"id": key_or_id})
    except (tk.ObjectNotFound, tk.ValidationError):
        return None


def shown(app_id: str | None) -> dict[str, Any] | None:
    """The application a grant or an audit entry names, as pages show it (looked up once per
    request); a stub with its id when the application cannot be read any more."""
    if not app_id:
        return None
    return request_scope.remember(SHOWN, app_id, lambda: find(app_id) or {"id": app_id, "name": app_id})
