"""The actions and auth functions of curation, registered by the plugin through ``toolkit.blanket``."""
from __future__ import annotations

from typing import Any

from ckan.authz import get_local_functions


def all_actions() -> dict[str, Any]:
    from ckanext.govdata.curation.logic import action, items_actions, report_actions, review_actions

    return {name: function for module in (action, review_actions, report_actions, items_actions)
            for name, function in get_local_functions(module)}


def all_auth_functions() -> dict[str, Any]:
    from ckanext.govdata.curation.logic import auth

    return dict(get_local_functions(auth))
