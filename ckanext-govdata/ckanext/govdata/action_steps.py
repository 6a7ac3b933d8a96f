"""The steps every govdata action shares: validate the input, and commit once at the end.

One user operation is one transaction: an action changes the session and calls ``finish``,
which commits unless the caller deferred the commit (``context["defer_commit"]``, as CKAN
core's actions do) to run several actions as one. Nothing commits or rolls back halfway; an
exception leaves the rollback to the caller (CKAN's API and views roll back failed requests).
"""
from __future__ import annotations

from typing import Any

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict


def validate(data_dict: DataDict, schema: dict[str, Any], context: Context) -> dict[str, Any]:
    """``data_dict`` after ``schema``; a ValidationError naming every refused field."""
    data, errors = tk.navl_validate(dict(data_dict), schema, context)
    if errors:
        raise tk.ValidationError(errors)
    return data


def finish(context: Context) -> None:
    """Commit the action's changes, unless the caller deferred the commit."""
    if not context.get("defer_commit"):
        model.Session.commit()
