"""The actions and auth functions of showcases, scenarios and contests, one module per domain object.

Every public function of an action module is the action of its name, and every public function
of ``auth`` the auth function of its name: the plugin registers them all through
``toolkit.blanket``, beside the chained core actions and auth functions of ``chained``.
"""
from __future__ import annotations

from types import ModuleType
from typing import Any

from ckan.authz import get_local_functions


def _exported(*modules: ModuleType) -> dict[str, Any]:
    return {name: function for module in modules for name, function in get_local_functions(module)}


def all_actions() -> dict[str, Any]:
    from ckanext.govdata.showcase.logic import chained, scenarios, showcases
    from ckanext.govdata.showcase.logic.contests import contest, entry, judging, team

    return {**chained.chained_actions(), **_exported(showcases, scenarios, contest, team, entry, judging)}


def all_auth_functions() -> dict[str, Any]:
    from ckanext.govdata.showcase.logic import auth, chained

    return {**chained.chained_auth_functions(), **_exported(auth)}
