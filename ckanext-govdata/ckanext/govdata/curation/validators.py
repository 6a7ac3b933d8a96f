"""Validators of the review fields of the dataset and API schemas (scheming/*.yaml): the state
and the ``private`` flag that follows it, both decided by ``review.state_on_save``."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ckanext.govdata.curation import review

Validator = Callable[..., Any]


def govdata_review_private(key, data, errors, context):
    """Private unless published. Runs before ``govdata_review_state`` (navl validates fields in
    key order), so it reads what the caller sent for ``private``."""
    data[key] = review.state_on_save(context, data.get(key)) != review.PUBLISHED


def govdata_review_state(key, data, errors, context):
    """The state after this save; ``private`` already follows it (see above)."""
    data[key] = review.state_on_save(context, data.get(("private",)))


def all_validators() -> dict[str, Validator]:
    return {"govdata_review_private": govdata_review_private, "govdata_review_state": govdata_review_state}
