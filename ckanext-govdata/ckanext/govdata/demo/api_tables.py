"""Sample tables behind the demo's data APIs, so that every one of them answers with rows.

An API whose served datasets have no datastore table gets one on its first served dataset, with a
column per data item of that dataset (or, serving none, on itself, a column per response field),
and 60–240 rows drawn like the demo's other sample tables: deterministic, seeded per table. The
resources are marked ``sample_table``: their rows are a sample, so the dataset's declared record
count (数据量) stands in the published figures.

In bulk: the plan is pure; ``load`` adds the missing resources in one transaction, creates each
table with ``datastore_create`` and fills it with one COPY, then reindexes the datasets in one
Solr update and refreshes their counters once.
"""
from __future__ import annotations

import csv
import dataclasses
import io
import random
from typing import Any

import ckan.plugins as p
import ckan.plugins.toolkit as tk
import click
import sqlalchemy as sa
from ckan import model

from ckanext.govdata.calendar import utcnow
from ckanext.govdata.demo.catalogue import Catalogue, Package
from ckanext.govdata.demo.city import Sources, ValueMaker, load_sources
from ckanext.govdata.demo.objects import DATASTORE_TYPES, DataItem, csv_value
from ckanext.govdata.search import bulk

# Indexed with the dataset (resource name and description, weight 2): words like 接口 or API here
# would pull every dataset with a sample table into searches for APIs.
TABLE_NAME = "样例数据表"
TABLE_DESCRIPTION = "演示用样例数据 / Sample rows for the demo"
ROWS = (60, 240)
# The resource field saying a table holds sample rows, not the dataset's records (stats/counters.py).
SAMPLE_FLAG = "sample_table"


@dataclasses.dataclass(frozen=True)
class ApiTable:
    """A table to create on ``package`` for the APIs in ``apis``."""

    package: str
    apis: tuple[str, ...]
    columns: tuple[DataItem, ...]
    rows: tuple[tuple[Any, ...], ...]

    def fields(self) -> list[dict[str, Any]]:
        return [
            {"id": column.name, "type": DATASTORE_TYPES[column.type], "info": {"label": column.name_zh}}
            for column in self.columns
        ]

    def csv_text(self) -> str:
        stream = io.StringIO()
        writer = csv.writer(stream, lineterminator="\n")
        for row in self.rows:
            writer.writerow(csv_value(value) for value in row)
        return stream.getvalue()


def plan(demo: Catalogue, sources: Sources | None = None) -> list[ApiTable]:
    """The tables the demo's APIs still need, in catalogue order."""
    sources = sources or load_sources()
    packages = {package.name: package for package in demo.packages}
    with_table = {package.name for package in demo.datasets if package.resource.datastore}
    targets: dict[str, list[Package]] = {}
    for api in demo.apis:
        served = [name for name in api.served_datasets if name in packages]
        if any(name in with_table for name in served):
            continue
        targets.setdefault(served[0] if served else api.name, []).append(api)
    departments = {department.name: department for department in demo.departments}
    tables = []
    for target, apis in targets.items():
        package = packages[target]
        rng = random.Random(f"{demo.seed}:{target}")
        maker = ValueMaker(rng, sources, departments[package.owner_org], package.catalogue_class)
        specs = [sources.items[item.name] for item in package.data_items]
        rows = tuple(tuple(maker.value(spec, row) for spec in specs) for row in range(rng.randint(*ROWS)))
        tables.append(ApiTable(target, tuple(api.name for api in apis), package.data_items, rows))
    return tables


# --- Writing ---------------------------------------------------------------------------------


def _existing(names: list[str]) -> dict[str, str]:
    """Package name → id of its sample API table resource, for those that have one."""
    rows = (
        model.Session.query(model.Package.name, model.Resource.id)
        .join(model.Resource, model.Resource.package_id == model.Package.id)
        .filter(model.Package.name.in_(names), model.Resource.name == TABLE_NAME, model.Resource.state == "active")
        .all()
    )
    return dict(rows)


def _write_engine() -> sa.engine.Engine:
    from ckanext.datastore.backend.postgres import get_write_engine

    return get_write_engine()


def _filled(resource_id: str, table: ApiTable) -> bool:
    """Does the table hold the planned columns and as many rows as planned?"""
    with _write_engine().connect() as connection:
        columns = [
            row[0] for row in connection.execute(
                sa.text("SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' "
                        "AND table_name = :table AND column_name NOT LIKE '\\_%' ORDER BY ordinal_position"),
                {"table": resource_id},
            )
        ]
        if columns != [column.name for column in table.columns]:
            return False
        count = connection.execute(sa.select(sa.func.count()).select_from(sa.table(resource_id))).scalar()
    return count == len(table.rows)


def _copy(resource_id: str, table: ApiTable) -> None:
    from psycopg2 import sql

    statement = sql.SQL("COPY {} ({}) FROM STDIN WITH (FORMAT csv)").format(
        sql.Identifier(resource_id), sql.SQL(", ").join(sql.Identifier(column.name) for column in table.columns)
    )
    connection = _write_engine().raw_connection()
    try:
        cursor = connection.cursor()
        cursor.copy_expert(statement.as_string(cursor), io.StringIO(table.csv_text()))
        connection.commit()
    finally:
        connection.close()


def _add_resources(tables: list[ApiTable]) -> dict[str, str]:
    """Datastore-only resources for ``tables``, in one transaction; package name → resource id.

    Written to the model directly: through ``resource_create`` each would cost two package
    updates and two Solr updates (≈ 0.5 s a table); ``load`` reindexes them all at once.
    """
    created = {}
    for table in tables:
        package = model.Package.by_name(table.package)
        resource = model.Resource(
            name=TABLE_NAME, description=TABLE_DESCRIPTION, format="CSV", url="_datastore_only_resource",
            url_type="datastore", extras={"datastore_active": True, SAMPLE_FLAG: "true"},
        )
        package.resources_all.append(resource)
        # A new modification time, or package_show serves the indexed dict without the resource.
        package.metadata_modified = utcnow()
        model.Session.flush()
        created[table.package] = resource.id
    model.Session.commit()
    return created


def load(context: dict[str, Any], demo: Catalogue) -> int:
    """Creates and fills the tables the plan asks for that are missing or differ; returns how many."""
    tables = plan(demo)
    existing = _existing([table.package for table in tables])
    stale = [table for table in tables if table.package in existing and not _filled(existing[table.package], table)]
    for table in stale:
        tk.get_action("datastore_delete")(dict(context), {"resource_id": existing[table.package], "force": True})
        tk.get_action("resource_delete")(dict(context), {"id": existing.pop(table.package)})
    missing = [table for table in tables if table.package not in existing]
    resources = _add_resources(missing)
    with click.progressbar(missing, label="API tables".ljust(14), show_pos=True, show_percent=False, width=36) as bar:
        for table in bar:
            tk.get_action("datastore_create")(
                dict(context), {"resource_id": resources[table.package], "fields": table.fields(), "force": True}
            )
            _copy(resources[table.package], table)
    if missing:
        package_ids = [model.Package.by_name(table.package).id for table in missing]
        failures = bulk.index(package_ids)
        if failures:
            raise click.ClickException(f"the datasets with API tables could not be indexed: {failures}")
        if p.plugin_loaded("govdata_stats"):
            tk.get_action("govdata_stats_refresh")(dict(context), {"package_ids": package_ids})
    return len(missing)
