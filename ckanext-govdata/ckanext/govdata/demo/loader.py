"""Writes the demo catalogue into CKAN through its actions.

Idempotent: departments and packages are found by name, left alone when they already match
and patched when they differ; files are uploaded and datastore tables filled only when missing.
"""
from __future__ import annotations

import dataclasses
import io
import os
import time
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import click
import sqlalchemy
from ckan import model
from ckan.lib import search as lib_search
from ckan.lib.search.common import make_connection
from werkzeug.datastructures import FileStorage

from ckanext.govdata import vocabularies
from ckanext.govdata.demo import catalogue
from ckanext.govdata.demo.catalogue import API_TYPE, DATASET_TYPE, Catalogue, Package, SampleTable
from ckanext.govdata.search import suggest

REQUIRED_PLUGINS = ("govdata", "scheming_datasets", "scheming_organizations", "datastore")
PACKAGE_SEARCH_ROWS = 1000


@dataclasses.dataclass
class Tally:
    created: int = 0
    patched: int = 0
    unchanged: int = 0
    files_uploaded: int = 0
    tables_filled: int = 0

    def note(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)


def load(seed: int = catalogue.DEFAULT_SEED) -> None:
    started = time.monotonic()
    demo = catalogue.build(seed)
    tally = load_catalogue(demo)
    api_tables = 0
    if p.plugin_loaded("govdata_dataapi"):
        from ckanext.govdata.demo import api_tables as api_table_plan

        api_tables = api_table_plan.load(_context(), demo)
    if p.plugin_loaded("govdata_showcase"):
        from ckanext.govdata.demo import showcases

        showcases.load(_context(), seed=seed)
    if p.plugin_loaded("govdata_demands"):
        from ckanext.govdata.demo import demands

        demands.load(_context())
    if p.plugin_loaded("govdata_feedback"):
        from ckanext.govdata.demo import feedback

        feedback.load(_context(), seed=seed)
    if p.plugin_loaded("govdata_quality"):
        from ckanext.govdata.demo import quality

        quality.load(_context())
    _build_suggestions()
    figures = demo.figures()
    click.secho(
        f"Demo catalogue (seed {seed}): {figures.departments} departments, {figures.domains} domains, "
        f"{figures.catalogue_classes} catalogue classes, {figures.datasets} datasets, {figures.apis} APIs, "
        f"{figures.data_items:,} data items, {figures.records:,} records, {figures.uploaded_files} files "
        f"({figures.datastore_tables} in the datastore). Created {tally.created}, updated {tally.patched}, "
        f"unchanged {tally.unchanged}; uploaded {tally.files_uploaded} files, filled {tally.tables_filled} "
        f"tables, {api_tables} tables behind data APIs in {time.monotonic() - started:.0f} s.",
        fg="green",
    )


def _build_suggestions() -> None:
    """The search box's suggestions, from the index with everything just written committed."""
    lib_search.commit()
    try:
        suggest.build()
    except suggest.SuggestUnavailable as error:
        click.secho(f"The search suggestions were not built ({error}): run ckan govdata search-index suggest",
                    fg="yellow", err=True)


def load_catalogue(demo: Catalogue) -> Tally:
    """Writes ``demo`` (the whole catalogue or a part of it) and says what it changed."""
    _preflight(demo)
    tally = Tally()
    organization_ids = _load_departments(demo, tally)
    stored = _load_packages(demo, organization_ids, tally)
    _load_data(demo, stored, tally)
    return tally


# --- Preflight -------------------------------------------------------------------------------


def _preflight(demo: Catalogue) -> None:
    """Name everything the load needs and does not have, with the fix, before writing anything."""
    problems = _missing_database() or (
        _missing_plugins() + _missing_schemas() + _missing_solr() + _missing_datastore() + _missing_storage() + _missing_vocabulary_values(demo)
    )
    if problems:
        for problem in problems:
            click.secho(f"  - {problem}", fg="red", err=True)
        raise click.ClickException(f"the demo catalogue cannot be loaded: {len(problems)} problem(s) above")


def _missing_database() -> list[str]:
    try:
        created = model.repo.are_tables_created()
    except Exception as error:
        return [f"the CKAN database does not answer ({type(error).__name__}): start PostgreSQL (bin/dev services) and check sqlalchemy.url"]
    if not created:
        return ["the CKAN database is not initialised: run `ckan -c <ini> db init`"]
    return []


def _missing_plugins() -> list[str]:
    return [
        f"plugin {name} is not loaded: add it to ckan.plugins in the ini file"
        for name in REQUIRED_PLUGINS
        if not p.plugin_loaded(name)
    ]


def _missing_schemas() -> list[str]:
    if not p.plugin_loaded("scheming_datasets"):
        return []
    from ckanext.scheming.helpers import scheming_get_dataset_schema

    return [
        f"no scheming schema for dataset type {dataset_type!r}: list ckanext.govdata.schemas:*.yaml in scheming.dataset_schemas"
        for dataset_type in (DATASET_TYPE, API_TYPE)
        if not scheming_get_dataset_schema(dataset_type)
    ]


def _missing_solr() -> list[str]:
    try:
        make_connection().search(q="*:*", rows=0)
    except Exception as error:
        return [f"Solr at {tk.config.get('solr_url')} does not answer ({type(error).__name__}): start it (bin/dev services)"]
    return []


def _missing_datastore() -> list[str]:
    if not p.plugin_loaded("datastore"):
        return []
    if not tk.config.get("ckan.datastore.write_url"):
        return ["ckan.datastore.write_url is not set in the ini file"]
    try:
        # Both roles the datastore uses must reach their database; asked directly, so that
        # plugins wrapping datastore actions do not change the answer.
        for url in (tk.config["ckan.datastore.write_url"], tk.config.get("ckan.datastore.read_url")):
            if url:
                engine = sqlalchemy.create_engine(url)
                with engine.connect() as connection:
                    connection.execute(sqlalchemy.text("SELECT 1"))
                engine.dispose()
    except sqlalchemy.exc.SQLAlchemyError as error:
        return [
            (f"the datastore database does not answer ({type(error).__name__}): create it and run "
            "`ckan -c <ini> datastore set-permissions | psql …`")
        ]
    return []


def _missing_storage() -> list[str]:
    path = tk.config.get("ckan.storage_path")
    if not path:
        return ["ckan.storage_path is not set in the ini file: uploads need a directory"]
    try:
        os.makedirs(path, exist_ok=True)
    except OSError as error:
        return [f"ckan.storage_path {path} cannot be created: {error.strerror}"]
    if not os.access(path, os.W_OK):
        return [f"ckan.storage_path {path} is not writable"]
    return []


def _missing_vocabulary_values(demo: Catalogue) -> list[str]:
    """The demo speaks the shipped vocabularies; a bureau's own file may have dropped some."""
    used: dict[str, set[str]] = {
        "domains": set(),
        "open_conditions": set(),
        "security_grades": set(),
        "update_frequencies": set(),
        "data_subject_types": set(),
        "data_formats": set(),
        "resource_libraries": set(),
        "data_item_types": set(),
        "api_methods": set(),
    }
    for package in demo.packages:
        used["domains"].add(package.domain)
        used["open_conditions"].add(package.open_condition)
        used["security_grades"].add(package.security_grade)
        used["update_frequencies"].add(package.update_frequency)
        used["data_subject_types"].add(package.data_subject_type)
        used["data_formats"].update(package.data_format)
        if package.resource_library:
            used["resource_libraries"].add(package.resource_library)
        used["data_item_types"].update(item.type for item in package.data_items)
        if package.api_method:
            used["api_methods"].add(package.api_method)
    problems = []
    for section, values in used.items():
        missing = sorted(values - set(vocabularies.values(section)))
        if missing:
            problems.append(
                f"the configured vocabularies lack {section} {', '.join(missing)}: "
                "the demo needs the defaults of ckanext/govdata/data/vocabularies.yaml"
            )
    return problems


# --- Writing ---------------------------------------------------------------------------------


def _site_user() -> str:
    # Not cached: get_site_user also creates the user when the database is new.
    return tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]


def _context() -> dict[str, Any]:
    # A fresh dict per call: actions write into their context.
    return {"user": _site_user(), "ignore_auth": True}


def _action(action: str, /, **data: Any) -> Any:
    return tk.get_action(action)(_context(), data)


def _write(action: str, subject: str, /, **data: Any) -> Any:
    """An action that changes something; a refusal names what was refused, without a traceback."""
    try:
        return _action(action, **data)
    except tk.ValidationError as error:
        raise click.ClickException(f"{action} refused {subject}: {error.error_dict}") from None


def _normal(value: Any) -> Any:
    """A value as CKAN gives it back: text scalars, no empty entries, so stored equals sent."""
    if isinstance(value, dict):
        return {key: _normal(item) for key, item in value.items() if item not in (None, "", [])}
    if isinstance(value, (list, tuple)):
        return [_normal(item) for item in value]
    return "" if value is None else str(value)


def _changes(wanted: dict[str, Any], existing: dict[str, Any]) -> dict[str, Any]:
    changes = {}
    for key, value in wanted.items():
        if key == "resources":
            continue
        if key == "tag_string":
            stored_tags = sorted(tag["name"] for tag in existing.get("tags", []))
            if stored_tags != sorted(value.split(",")):
                changes[key] = value
        elif _normal(existing.get(key)) != _normal(value):
            changes[key] = value
    if existing.get("state") != "active":
        changes["state"] = "active"
    return changes


def _progress(items: Any, label: str) -> Any:
    return click.progressbar(items, label=label.ljust(14), show_pos=True, show_percent=False, width=36)


def _load_departments(demo: Catalogue, tally: Tally) -> dict[str, str]:
    ids: dict[str, str] = {}
    with _progress(demo.departments, "Departments") as departments:
        for department in departments:
            wanted = department.as_organization_dict()
            try:
                existing = _action(
                    "organization_show",
                    id=department.name,
                    include_datasets=False,
                    include_users=False,
                    include_groups=False,
                    include_tags=False,
                    include_followers=False,
                )
            except tk.ObjectNotFound:
                ids[department.name] = _write("organization_create", department.name, **wanted)["id"]
                tally.note("created")
                continue
            changes = _changes(wanted, existing)
            if changes:
                _write("organization_patch", department.name, id=existing["id"], **changes)
                tally.note("patched")
            else:
                tally.note("unchanged")
            ids[department.name] = existing["id"]
    return ids


def _indexed_packages() -> dict[str, dict[str, Any]]:
    """Demo-type packages already in the search index, as package_show would give them."""
    found: dict[str, dict[str, Any]] = {}
    start = 0
    while True:
        page = _action(
            "package_search",
            q="*:*",
            fq=f"+dataset_type:({DATASET_TYPE} OR {API_TYPE})",
            rows=PACKAGE_SEARCH_ROWS,
            start=start,
            sort="name asc",
            include_private=True,
            include_drafts=True,
        )
        found.update((package["name"], package) for package in page["results"])
        start += PACKAGE_SEARCH_ROWS
        if start >= page["count"]:
            return found


def _stored_package(name: str, indexed: dict[str, dict[str, Any]]) -> dict[str, Any] | None:
    # The index may lag behind the database (or miss deleted packages): the database decides.
    if name in indexed:
        return indexed[name]
    try:
        return _action("package_show", id=name)
    except tk.ObjectNotFound:
        return None


def _load_packages(demo: Catalogue, organization_ids: dict[str, str], tally: Tally) -> dict[str, dict[str, Any]]:
    """Datasets first, then APIs, so every dataset an API serves exists when it is created.

    Each package is committed and indexed as it is written: CKAN 2.12's package_create skips
    indexing altogether under ``defer_commit``, and the dev ini already spares Solr a hard
    commit per package (``ckan.search.solr_commit = false`` with autoSoftCommit).
    """
    indexed = _indexed_packages()
    stored: dict[str, dict[str, Any]] = {}
    with _progress(demo.packages, "Packages") as packages:
        for package in packages:
            wanted = package.as_package_dict()
            wanted["owner_org"] = organization_ids[package.owner_org]
            existing = _stored_package(package.name, indexed)
            if existing is None:
                stored[package.name] = _write("package_create", package.name, **wanted)
                tally.note("created")
                continue
            changes = _changes(wanted, existing)
            if changes:
                existing = _write("package_patch", package.name, id=existing["id"], **changes)
                tally.note("patched")
            else:
                tally.note("unchanged")
            stored[package.name] = _with_link_resource(package, existing)
    return stored


def _with_link_resource(package: Package, existing: dict[str, Any]) -> dict[str, Any]:
    resource = package.resource
    if resource.is_upload or any(stored.get("url") == resource.url for stored in existing.get("resources", [])):
        return existing
    _write("resource_create", package.name, package_id=existing["id"], **resource.as_link_dict())
    return _action("package_show", id=existing["id"])


def _load_data(demo: Catalogue, stored: dict[str, dict[str, Any]], tally: Tally) -> None:
    uploads = [package for package in demo.packages if package.resource.is_upload]
    with _progress(uploads, "Data files") as packages:
        for package in packages:
            resource = _uploaded_resource(package, stored[package.name], tally)
            if package.resource.datastore:
                _fill_table(resource, package.resource.table, tally)


def _uploaded_resource(package: Package, existing: dict[str, Any], tally: Tally) -> dict[str, Any]:
    wanted = package.resource
    for resource in existing.get("resources", []):
        if resource.get("url_type") == "upload" and resource.get("name") == wanted.name:
            return resource
    assert wanted.table is not None and wanted.filename is not None
    upload = FileStorage(stream=io.BytesIO(wanted.table.csv_bytes()), filename=wanted.filename, content_type="text/csv")
    tally.note("files_uploaded")
    return _write(
        "resource_create",
        package.name,
        package_id=existing["id"],
        name=wanted.name,
        description=wanted.description,
        format=wanted.format,
        upload=upload,
    )


def _row_count(resource_id: str) -> int | None:
    try:
        return _action("datastore_search", resource_id=resource_id, limit=0)["total"]
    except tk.ObjectNotFound:
        return None


def _fill_table(resource: dict[str, Any], table: SampleTable | None, tally: Tally) -> None:
    assert table is not None
    count = _row_count(resource["id"])
    if count == len(table.rows):
        return
    # Uploaded resources are read-only to the datastore (a loader would own them): force.
    if count is not None:
        _write("datastore_delete", resource["name"], resource_id=resource["id"], force=True)
    data: dict[str, Any] = {
        "resource_id": resource["id"],
        "force": True,
        "fields": table.datastore_fields(),
        "records": table.records(),
    }
    if table.primary_key:
        data["primary_key"] = table.primary_key
    _write("datastore_create", resource["name"], **data)
    _write(
        "resource_create_default_resource_views",
        resource["name"],
        resource=_action("resource_show", id=resource["id"]),
        create_datastore_views=True,
    )
    tally.note("tables_filled")
