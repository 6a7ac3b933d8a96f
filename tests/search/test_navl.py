"""search/navl.validate gives what navl's own _validate gives: the same converted data and the
same errors, on every dataset of part of the demo through the two show schemas (what the bulk
reindex validates with), and on the cases navl treats specially (extras, before/after and their
order, stop on error, a list against a subschema)."""
from __future__ import annotations

import copy
from typing import Any

import pytest
from ckan import model
from ckan.lib import plugins as lib_plugins
from ckan.lib.navl import dictization_functions as df
from ckan.lib.navl.dictization_functions import DataError, StopOnError, flatten_dict
from ckan.logic import schema as ckan_schema
from ckan.tests.helpers import call_action

from ckanext.govdata.search import navl
from tests import factories
from tests.search.test_bulk_index import package_ids  # noqa: F401 (a fixture)

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _both(data: dict[str, Any], schema: dict[str, Any]) -> tuple[Any, Any]:
    flattened = flatten_dict(data, schema=schema)
    context: dict[str, Any] = {"model": model, "session": model.Session, **factories.site_context()}
    theirs = df._validate(copy.deepcopy(flattened), copy.deepcopy(schema), dict(context))
    ours = navl.validate(copy.deepcopy(flattened), copy.deepcopy(schema), dict(context))
    return theirs, ours


def test_every_demo_dataset_validates_the_same_through_every_schema(package_ids):  # noqa: F811
    compared = 0
    for package_id in package_ids:
        package = model.Package.get(package_id)
        if package is None or package.state == "deleted":
            continue
        shown = call_action("package_show", factories.site_context(), id=package_id)
        plugin = lib_plugins.lookup_package_plugin(shown["type"])
        schemas = {
            "default show": ckan_schema.default_show_package_schema(),
            "show": plugin.show_package_schema(),
        }
        for name, schema in schemas.items():
            theirs, ours = _both(shown, schema)
            assert ours == theirs, (package.name, name)
            compared += 1
        # Same order, not only the same items: the stored data_dict is this dict as JSON.
        flattened = flatten_dict(shown)
        assert navl.in_order(flattened) == sorted(flattened, key=df.flattened_order_key)
    assert compared >= 2 * 20


def test_the_order_is_navls_on_keys_that_do_not_compare():
    # A number as the only top-level name (it does not compare with the names of the longer keys,
    # which navl's order never compares it with) and skipped list indexes.
    flattened = {("a", 1, "x"): 2, ("a", 0, "y"): 3, (1,): 4, ("c", 3, "z"): 5, ("c", 1, "z"): 6}
    assert navl.in_order(flattened) == sorted(flattened, key=df.flattened_order_key)


def _recorder(log: list[str], name: str, stop: bool = False) -> Any:
    def validator(key: Any, data: Any, errors: Any, context: Any) -> None:
        log.append(f"{name}:{key}")
        if stop:
            errors[key].append(f"{name} stopped")
            raise StopOnError

    return validator


def test_runs_keep_navls_order_and_stops():
    theirs_log: list[str] = []
    ours_log: list[str] = []

    def schema(log: list[str]) -> dict[str, Any]:
        return {
            "__before": [_recorder(log, "before")],
            "b": [_recorder(log, "b1", stop=True), _recorder(log, "b2")],
            "a": [_recorder(log, "a")],
            "items": {"x": [_recorder(log, "x")], "__after": [_recorder(log, "item_after")],
                      "__extras": [_recorder(log, "item_extras")]},
            "__extras": [_recorder(log, "extras")],
            "__after": [_recorder(log, "after")],
            "__junk": [_recorder(log, "junk")],
        }

    data = {"a": 1, "b": 2, "items": [{"x": 1, "y": 2}, {"z": 3}], "other": 4}
    flattened = flatten_dict(data, schema=schema([]))
    theirs = df._validate(copy.deepcopy(flattened), schema(theirs_log), {})
    ours = navl.validate(copy.deepcopy(flattened), schema(ours_log), {})
    assert ours == theirs
    assert ours_log == theirs_log
    assert "b2:('b',)" not in ours_log


def test_extras_are_placed_as_navl_places_them():
    schema = {"name": [lambda value: value], "resources": {"url": [lambda value: value]}}
    data = {"name": "x", "stray": 1, "resources": [{"url": "u", "format": "CSV"}, {}]}
    theirs, ours = _both(data, schema)
    assert ours == theirs
    converted = ours[0]
    assert converted[("__extras",)] == {"stray": 1}
    assert converted[("resources", 0, "__extras")] == {"format": "CSV"}


def test_a_plain_list_against_a_subschema_is_refused_as_navl_refuses_it():
    schema = {"resources": {"url": [lambda value: value]}}
    flattened = {("resources",): ["not a dict"]}
    with pytest.raises(DataError) as theirs:
        df._validate(dict(flattened), schema, {})
    with pytest.raises(DataError) as ours:
        navl.validate(dict(flattened), schema, {})
    assert str(ours.value) == str(theirs.value)
