"""The steps every govdata action shares: validate the input, and commit once at the end.

One user operation is one transaction: an action changes the session and calls ``finish``,
which commits unless the caller deferred the commit (``context["defer_commit"]``, as CKAN
core's actions do) to run several actions as one. Nothing commits or rolls back halfway: an
action marked ``atomic`` that fails leaves nothing of what it wrote (unless the commit was
deferred: the caller then owns the transaction and its rollback).
"""
from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar

import ckan.plugins.toolkit as tk
from ckan import model
from ckan.types import Context, DataDict

Result = TypeVar("Result")

# A caller running many dataset actions as one operation (a directory import) puts a set under
# this context key. What features do after each dataset change (the stats counters' refresh)
# then only adds the dataset's id to it, and the caller runs that follow-up once for them all.
BATCH = "govdata_batch"


def batched(context: Context, package_id: str) -> bool:
    """Whether ``context`` is part of a batch; if so, ``package_id`` joins it."""
    batch = context.get(BATCH)
    if batch is None:
        return False
    batch.add(package_id)
    return True


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


def atomic(action: Callable[[Context, DataDict], Result]) -> Callable[[Context, DataDict], Result]:
    """A failing ``action`` rolls back everything it wrote, unless its caller deferred the commit."""

    @functools.wraps(action)
    def run(context: Context, data_dict: DataDict) -> Result:
        try:
            return action(context, data_dict)
        except Exception:
            if not context.get("defer_commit"):
                model.Session.rollback()
            raise

    return run
