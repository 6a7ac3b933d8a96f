"""The show schemas of the bulk reindex (search/bulk.py): ``package_show``'s default and custom
schemas built once per batch rather than once per dataset, with the validators that cost most
swapped for ones with the same results, and dcat's hooks given each dataset type's schema once.
tests/search/test_bulk_index.py holds the documents to CKAN's own, field by field.
"""
from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

from ckan.lib import plugins as lib_plugins
from ckan.lib.navl.dictization_functions import Invalid, StopOnError, missing
from ckan.lib.navl.validators import not_empty
from ckan.logic.schema import default_show_package_schema
from ckan.logic.validators import duplicate_extras_key, package_name_validator
from ckan.model import PACKAGE_NAME_MAX_LENGTH, PACKAGE_NAME_MIN_LENGTH
from ckan.plugins import IPackageController, IResourceController, PluginImplementations
from ckanext.dcat import plugins as dcat_plugins


@contextlib.contextmanager
def dcat_schemas_once() -> Iterator[None]:
    """dcat's show and index hooks ask scheming for the dataset type's schema, through the action
    layer, twice per dataset (a twentieth of the build's time); they only read it, and it does
    not change during a batch."""
    original = dcat_plugins._get_dataset_schema
    schemas: dict[str, Any] = {}

    def dataset_schema(dataset_type: str = "dataset") -> Any:
        if dataset_type not in schemas:
            schemas[dataset_type] = original(dataset_type)
        return schemas[dataset_type]

    dcat_plugins._get_dataset_schema = dataset_schema
    try:
        yield
    finally:
        dcat_plugins._get_dataset_schema = original


def _name_length_validator(key: Any, data: Any, errors: Any, context: Any) -> Any:
    """``package_name_validator`` without its query: a stored dataset's name is its own, and the
    errors of show validation are dropped anyway; the length checks still stop the field's chain."""
    value = data[key]
    if not PACKAGE_NAME_MIN_LENGTH <= len(value) <= PACKAGE_NAME_MAX_LENGTH:
        raise Invalid("name length")


def _not_empty_untranslated(key: Any, data: Any, errors: Any, context: Any) -> None:
    """``not_empty`` without translating its message: show validation drops the errors, and
    about forty empty optional values a dataset made ``not_empty`` look its message up through
    Flask-Babel each time (a tenth of the Python time of a rebuild, in cProfile)."""
    value = data.get(key)
    if value in (False, 0, 0.0):
        return
    if value is missing or not value:
        errors[key].append("Missing value")
        raise StopOnError


def _duplicate_extras_key_flat(key: Any, data: Any, errors: Any, context: Any) -> None:
    """``duplicate_extras_key`` reading the extras from the flattened dataset instead of
    unflattening all of it (two of the six unflattens a dataset went through), its message
    untranslated like ``_not_empty_untranslated``'s; an extra without a key fails as there."""
    indexes = sorted({flat_key[1] for flat_key in data if len(flat_key) == 3 and flat_key[0] == "extras"})
    seen = set()
    for index in indexes:
        if data.get(("extras", index, "deleted")):
            continue
        extra_key = data[("extras", index, "key")]
        if extra_key in seen:  # the first key met a second time, as CKAN's names it
            assert ("extras_validation",) not in errors
            errors[("extras_validation",)] = [f'Duplicate key "{extra_key}"']
            return
        seen.add(extra_key)


# Validators of the show schemas swapped for the bulk reindex: same results, less work.
SWAPPED = (
    (package_name_validator, _name_length_validator),
    (not_empty, _not_empty_untranslated),
    (duplicate_extras_key, _duplicate_extras_key_flat),
)


class Schemas:
    """The show schemas, built once per batch rather than once per dataset (scheming expands its
    YAML each time), with the validators of SWAPPED swapped; with the plugins whose show hooks
    run, listed once per batch too."""

    def __init__(self) -> None:
        self.default = _swapped(default_show_package_schema())
        self.package_controllers = list(PluginImplementations(IPackageController))
        self.resource_controllers = list(PluginImplementations(IResourceController))
        self._custom: dict[str, tuple[Any, dict[str, Any] | None]] = {}

    def custom(self, package_type: str) -> tuple[Any, dict[str, Any] | None]:
        """The dataset type's plugin and its show schema, None where it is the default one."""
        if package_type not in self._custom:
            plugin = lib_plugins.lookup_package_plugin(package_type)
            schema = plugin.show_package_schema()
            custom = None if schema == default_show_package_schema() else _swapped(schema)
            self._custom[package_type] = (plugin, custom)
        return self._custom[package_type]


def _swapped(schema: dict[str, Any]) -> dict[str, Any]:
    swapped: dict[str, Any] = {}
    for key, value in schema.items():
        if isinstance(value, dict):
            swapped[key] = _swapped(value)
        elif isinstance(value, list):
            swapped[key] = [next((new for old, new in SWAPPED if item is old), item) for item in value]
        else:
            swapped[key] = value
    return swapped
