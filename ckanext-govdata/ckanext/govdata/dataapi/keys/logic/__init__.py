"""The actions and auth functions of developer applications and their usage.

Every public function of an action module is the action of its name, and every public function
of ``auth`` the auth function of its name: the plugin registers them through ``toolkit.blanket``.
"""
from __future__ import annotations

from types import ModuleType
from typing import Any

from ckan.authz import get_local_functions


def _exported(*modules: ModuleType) -> dict[str, Any]:
    return {name: function for module in modules for name, function in get_local_functions(module)}


def all_actions() -> dict[str, Any]:
    from ckanext.govdata.dataapi.keys.logic import apps, usage

    return _exported(apps, usage)


def all_auth_functions() -> dict[str, Any]:
    from ckanext.govdata.dataapi.keys.logic import auth

    return _exported(auth)
