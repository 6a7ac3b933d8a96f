"""The actions and auth functions of conditional opening, one module per domain object.

Every public function of an action module is the action of its name, and every public function
of ``auth`` (and the calendar's ``auth``) the auth function of its name: the plugin registers
them all through ``toolkit.blanket``, beside the chained core actions and auth functions.
"""
from __future__ import annotations

from types import ModuleType
from typing import Any

from ckan.authz import get_local_functions


def _exported(*modules: ModuleType) -> dict[str, Any]:
    return {name: function for module in modules for name, function in get_local_functions(module)}


def all_actions() -> dict[str, Any]:
    from ckanext.govdata.access.logic import enforcement, grants, ledger, notices, requests, resource_ids
    from ckanext.govdata.calendar.logic import action as calendar_actions

    return {
        **enforcement.all_chained_actions(),
        **resource_ids.chained_actions(),
        **_exported(requests, grants, ledger, notices, calendar_actions),
    }


def all_auth_functions() -> dict[str, Any]:
    from ckanext.govdata.access.logic import auth, chained_auth
    from ckanext.govdata.calendar.logic import auth as calendar_auth

    return {**chained_auth.chained_auth_functions(), **_exported(auth, calendar_auth)}
