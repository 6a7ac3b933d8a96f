"""Core auth functions that fail with an exception on input they do not expect.

Several of CKAN's auth functions ``assert`` that the user and the object exist (anonymous
``package_collaborator_list``, an unknown dataset id): the assertion became a 500. Chained here,
such a call is refused like any other.
"""
from __future__ import annotations

import ckan.plugins.toolkit as tk
from ckan.types import AuthFunction, AuthResult, Context, DataDict

from ckanext.govdata.logic import suggest, synonyms
from ckanext.govdata.messages import bilingual

# CKAN 2.12 auth functions that assert on a missing user, dataset or resource.
ASSERTING_AUTH_FUNCTIONS = (
    "api_token_create",
    "package_collaborator_create",
    "package_collaborator_delete",
    "package_collaborator_list",
    "resource_delete",
    "resource_show",
    "resource_update",
    "resource_view_show",
)


# Those of them that CKAN lets anonymous callers reach (the rest it refuses before they run).
ANONYMOUS_ALLOWED = ("resource_show", "resource_view_show")


def _refusing_instead_of_failing(name: str) -> AuthFunction:
    @tk.chained_auth_function
    def guarded(next_auth: AuthFunction, context: Context, data_dict: DataDict) -> AuthResult:
        try:
            return next_auth(context, data_dict)
        except (AssertionError, AttributeError, KeyError, TypeError):
            return {"success": False, "msg": bilingual("Not authorized, or the object does not exist")}

    guarded.__name__ = name
    return tk.auth_allow_anonymous_access(guarded) if name in ANONYMOUS_ALLOWED else guarded


def all_auth_functions() -> dict[str, AuthFunction]:
    return {
        **{name: _refusing_instead_of_failing(name) for name in ASSERTING_AUTH_FUNCTIONS},
        **synonyms.auth_functions(),
        **suggest.auth_functions(),
    }
