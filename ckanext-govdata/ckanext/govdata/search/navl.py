"""CKAN's navl validation of a flattened dict, doing each step once (for the bulk reindex).

``ckan.lib.navl.dictization_functions._validate`` flattens the schema three times, works out the
data's key combinations three times and the full schema twice (``augment_data`` and
``make_full_schema`` each start over), sorts the full schema four times, and checks each key
outside the schema against a list built anew for it. In a profile of the bulk reindex that
bookkeeping was half of the show validation, which is most of the Python time per dataset.

``validate`` below is the same algorithm — the same full schema, the same augmented data
(junk, extras, missing), the same runs in the same order (before, main, extras, after, junk),
the same validators called the same way (navl's own ``convert``) — with each intermediate
computed once. tests/search/test_bulk_index.py holds the documents to CKAN's own, field by field,
and tests/search/test_navl.py holds this function to navl's on every demo dataset and on the
cases navl handles specially.
"""
from __future__ import annotations

import contextlib
import copy
from collections.abc import Iterable, Iterator
from typing import Any

from ckan.lib.navl import dictization_functions as navl
from ckan.lib.navl.dictization_functions import (
    DataError,
    StopOnError,
    convert,
    flatten_schema,
    missing,
)


def _full_schema(combinations: set[tuple[Any, ...]], schema: dict[str, Any]) -> dict[tuple[Any, ...], Any]:
    """``make_full_schema`` from the key combinations already found."""
    full_schema: dict[tuple[Any, ...], Any] = {}
    for combination in combinations:
        sub_schema = schema
        for key in combination[::2]:
            sub_schema = sub_schema[key]
        for key, value in sub_schema.items():
            if isinstance(value, list):
                full_schema[(*combination, key)] = value
    return full_schema


def _prefixes(flattened_schema: dict[tuple[Any, ...], Any]) -> set[tuple[Any, ...]]:
    """Every ``t`` for which some schema key ``k`` has ``k[:len(t)] == t``."""
    return {key[:length] for key in flattened_schema for length in range(len(key) + 1)}


def _augmented(
    data: dict[tuple[Any, ...], Any],
    full_schema: dict[tuple[Any, ...], Any],
    flattened_schema: dict[tuple[Any, ...], Any],
    combinations: set[tuple[Any, ...]],
) -> dict[tuple[Any, ...], Any]:
    """``augment_data``: keys outside the schema go to ``__junk`` or their level's
    ``__extras``, keys of the schema missing from the data become ``missing``."""
    new_data = copy.copy(data)
    prefixes: set[tuple[Any, ...]] | None = None
    keys_to_remove = []
    junk = {}
    extras_keys: dict[tuple[Any, ...], dict[Any, Any]] = {}
    for key, value in new_data.items():
        if key in full_schema:
            continue
        if prefixes is None:
            prefixes = _prefixes(flattened_schema)
        if key[::2] in prefixes and data[key] != []:
            raise DataError(f"Only lists of dicts can be placed against subschema {key}, not {type(data[key])}")
        if key[:-1] in combinations:
            extras_key = (*key[:-1], "__extras")
            extras = extras_keys.get(extras_key, {})
            extras[key[-1]] = value
            extras_keys[extras_key] = extras
        else:
            junk[key] = value
        keys_to_remove.append(key)
    if junk:
        new_data[("__junk",)] = junk
    for extras_key, extras in extras_keys.items():
        new_data[extras_key] = extras
    for key in keys_to_remove:
        new_data.pop(key)
    for key in full_schema:
        if key not in new_data and not key[-1].startswith("__"):
            new_data[key] = missing
    return new_data


def _run(keys: Any, full_schema: dict[tuple[Any, ...], Any], converted: Any, errors: Any, context: Any) -> None:
    for key in keys:
        for converter in full_schema[key]:
            try:
                convert(converter, key, converted, errors, context)
            except StopOnError:
                break


def validate(data: Any, schema: dict[str, Any], context: Any) -> tuple[Any, Any]:
    """``dictization_functions._validate``, each intermediate computed once."""
    flattened_schema = flatten_schema(schema)
    combinations = _key_combinations(data, flattened_schema)
    full_schema = _full_schema(combinations, schema)
    converted = _augmented(data, full_schema, flattened_schema, combinations)
    errors: dict[tuple[Any, ...], list[Any]] = {key: [] for key in full_schema}
    ordered = in_order(full_schema)
    _run([key for key in ordered if key[-1] == "__before"], full_schema, converted, errors, context)
    _run([key for key in ordered if not key[-1].startswith("__")], full_schema, converted, errors, context)
    _run([key for key in ordered if key[-1] == "__extras"], full_schema, converted, errors, context)
    _run([key for key in reversed(ordered) if key[-1] == "__after"], full_schema, converted, errors, context)
    if ("__junk",) in full_schema:
        _run([("__junk",)], full_schema, converted, errors, context)
    return converted, errors


def order_key(key: tuple[Any, ...]) -> tuple[Any, ...]:
    """``flattened_order_key``'s very value, (length, *key), without the two lists it builds:
    navl sorts with it five times per validation (its unflatten too)."""
    return (len(key), *key)


def in_order(keys: Iterable[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """``sorted(keys, key=order_key)`` by two sorts that call no Python function per key (a tenth
    of the bulk build's time went to order_key): by the keys themselves, then, stably, by length.
    Flattened keys alternate names and list indexes, so keys of different lengths compare; should
    some not, navl's own order is used."""
    listed = list(keys)
    try:
        return sorted(sorted(listed), key=len)
    except TypeError:
        return sorted(listed, key=order_key)


def _key_combinations(data: dict[tuple[Any, ...], Any], flattened_schema: dict[tuple[Any, ...], Any]
                      ) -> set[tuple[Any, ...]]:
    """``get_all_key_combinations``, its keys put ``in_order``."""
    schema_prefixes = {key[:-1] for key in flattened_schema}
    combinations: set[tuple[Any, ...]] = {()}
    for key in in_order(data):
        if key[:-1:2] in schema_prefixes and key[:-3] in combinations:
            combinations.add(key[:-1])
    return combinations



@contextlib.contextmanager
def quick_validation() -> Iterator[None]:
    """navl's ``validate`` uses ``validate`` above, and navl's functions ``order_key``, for the
    duration (one process: the bulk reindex's worker)."""
    original = navl._validate, navl.flattened_order_key
    navl._validate, navl.flattened_order_key = validate, order_key
    try:
        yield
    finally:
        navl._validate, navl.flattened_order_key = original
