"""The published counts (DOMAIN.md §1): the one module that changes them (``counter_reads``
reads them).

Every package of a counted type has a *snapshot* of what it adds to the figures (its domain,
department, catalogue class, formats, data items, records …). When a package changes,
``refresh`` subtracts the old snapshot's contribution from the counters and adds the new one,
inside the transaction that changes the package, so the figures are exact and reading them
costs a few indexed rows whatever the size of the catalogue. ``rebuild`` recomputes everything
from the packages themselves.

Contributions go to two audiences: ``public`` (active, public packages, that anonymous visitors
can list) and ``staff`` (active and draft packages, public or private). Only entries that serve
data (``catalogue.serves_data``: an API interface, or a dataset with a resource) add to the
figures; the others add only to ``without_data``, in their scope's totals. Showcases are counted
on their own and never as datasets.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import ckan.plugins as p
import sqlalchemy as sa
from ckan import model
from sqlalchemy.dialects.postgresql import insert

from ckanext.govdata import catalogue, settings
from ckanext.govdata.search import as_list
from ckanext.govdata.stats.model import Counter, DatastoreTable, KeyCount, PackageSnapshot

DATASET_TYPE = "dataset"
API_TYPE = "dataservice"
SHOWCASE_TYPE = "showcase"
COUNTED_TYPES = (DATASET_TYPE, API_TYPE, SHOWCASE_TYPE)
STAFF_STATES = ("active", "draft")

PUBLIC = "public"
STAFF = "staff"
AUDIENCES = (PUBLIC, STAFF)

SITE = "site"
DOMAIN = "domain"
DEPARTMENT = "department"
SCOPES = (SITE, DOMAIN, DEPARTMENT)

TOTAL = "total"
# Fields the figures are broken down by; ``month`` is the month a package was issued.
BREAKDOWNS = ("domain", "department", "catalogue_class", "resource_library", "open_condition", "format", "month")
# ``without_data``: entries that serve no data, counted in nothing else (totals only).
METRICS = ("packages", "datasets", "apis", "showcases", "data_items", "records", "declared_records", "without_data")

CellKey = tuple[str, str, str, str, str]  # audience, scope, scope_key, dimension, key
BATCH_SIZE = 500


@dataclasses.dataclass(frozen=True)
class Snapshot:
    package_id: str
    type: str
    public: bool
    staff: bool
    owner_org: str | None
    domain: str | None
    catalogue_class: str | None
    resource_library: str | None
    open_condition: str | None
    formats: tuple[str, ...]
    issued_month: str | None
    data_items: int
    records: int
    records_measured: bool
    update_frequency: str | None
    last_updated: dt.date | None
    serves_data: bool

    def as_row(self) -> dict[str, Any]:
        row = dataclasses.asdict(self)
        row["formats"] = list(self.formats)
        return row

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Snapshot:
        values = {field.name: row[field.name] for field in dataclasses.fields(cls)}
        values["formats"] = tuple(values["formats"] or ())
        return cls(**values)

    def breakdown_keys(self) -> list[tuple[str, str]]:
        keys = [
            ("domain", self.domain),
            ("department", self.owner_org),
            ("catalogue_class", self.catalogue_class),
            ("resource_library", self.resource_library),
            ("open_condition", self.open_condition),
            ("month", self.issued_month),
        ]
        keys.extend(("format", value) for value in self.formats)
        return [(dimension, key) for dimension, key in keys if key]

    def metrics(self) -> dict[str, int]:
        if self.type == SHOWCASE_TYPE:
            return {"showcases": 1}
        if not self.serves_data:
            return {"without_data": 1}
        return {
            "packages": 1,
            "datasets": int(self.type == DATASET_TYPE),
            "apis": int(self.type == API_TYPE),
            "data_items": self.data_items,
            "records": self.records,
            "declared_records": 0 if self.records_measured else self.records,
        }

    def contribution(self) -> dict[CellKey, dict[str, int]]:
        """The counter cells this package adds to, with what it adds."""
        audiences = [audience for audience, counted in ((PUBLIC, self.public), (STAFF, self.staff)) if counted]
        scopes = [(SITE, ""), (DEPARTMENT, self.owner_org)]
        if self.type != SHOWCASE_TYPE:
            scopes.append((DOMAIN, self.domain))
        # Showcases and entries without data only add to totals: they have no place in the
        # catalogue's breakdowns.
        broken_down = self.type != SHOWCASE_TYPE and self.serves_data
        keys = [(TOTAL, "")] + (self.breakdown_keys() if broken_down else [])
        metrics = self.metrics()
        return {
            (audience, scope, scope_key, dimension, key): metrics
            for audience in audiences
            for scope, scope_key in scopes
            if scope_key is not None
            for dimension, key in keys
        }


# --- Reading packages ------------------------------------------------------------------------


def _as_int(value: Any) -> int:
    try:
        return max(0, int(value))
    except (TypeError, ValueError):
        return 0


def _as_date(value: Any) -> dt.date | None:
    if not value:
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    try:
        return dt.date.fromisoformat(str(value)[:10])
    except ValueError:
        return None


def _lists_not_open() -> bool:
    return settings.current().list_not_open


def _snapshot(package: Mapping[str, Any], table_rows: list[int] | None, has_active_resource: bool) -> Snapshot | None:
    """What ``package`` (a row of the package table) adds to the figures, or None.

    ``table_rows`` are the row counts of its datastore tables, None when it has none.
    """
    if package["type"] not in COUNTED_TYPES or package["state"] not in STAFF_STATES:
        return None
    extras = package["extras"] or {}
    open_condition = extras.get("open_condition") or None
    listed = _lists_not_open() or open_condition != "not-open"
    declared = _as_int(extras.get("record_count"))
    issued = _as_date(extras.get("issued")) or _as_date(package["metadata_created"])
    return Snapshot(
        package_id=package["id"],
        type=package["type"],
        public=package["state"] == "active" and not package["private"] and listed,
        staff=True,
        owner_org=package["owner_org"] or None,
        domain=extras.get("domain") or None,
        catalogue_class=(extras.get("catalogue_class") or "").strip() or None,
        resource_library=extras.get("resource_library") or None,
        open_condition=open_condition,
        formats=tuple(sorted({str(value) for value in as_list(extras.get("data_format")) if value})),
        issued_month=issued.strftime("%Y-%m") if issued else None,
        data_items=len(as_list(extras.get("data_items"))),
        records=sum(table_rows) if table_rows is not None else declared,
        records_measured=table_rows is not None,
        update_frequency=extras.get("update_frequency") or None,
        last_updated=_as_date(extras.get("modified")) or _as_date(package["metadata_modified"]),
        serves_data=catalogue.serves_data(package["type"], has_active_resource),
    )


PACKAGE_COLUMNS = sa.text(
    "SELECT id, type, state, private, owner_org, extras, metadata_created, metadata_modified "
    "FROM package WHERE id IN :ids"
).bindparams(sa.bindparam("ids", expanding=True))
# A table marked ``sample_table`` holds sample rows (the demo's tables behind data APIs), not the
# dataset's records: the declared record count stands.
DATASTORE_RESOURCES = sa.text(
    "SELECT id, package_id FROM resource WHERE package_id IN :ids AND state = 'active' "
    "AND extras::jsonb ->> 'datastore_active' = 'true' AND (extras::jsonb ->> 'sample_table') IS DISTINCT FROM 'true'"
).bindparams(sa.bindparam("ids", expanding=True))


def _datastore_row_count(resource_id: str) -> int | None:
    """Exact rows in the resource's datastore table, None when there is no such table."""
    if not p.plugin_loaded("datastore"):
        return None
    from ckanext.datastore.backend.postgres import get_write_engine, identifier

    with get_write_engine().connect() as connection:
        exists = connection.execute(sa.text("SELECT to_regclass(:name)"), {"name": identifier(resource_id)}).scalar()
        if exists is None:
            return None
        return connection.execute(sa.text(f"SELECT count(*) FROM {identifier(resource_id)}")).scalar_one()


def _table_rows(package_ids: list[str], recount: bool) -> dict[str, list[int]]:
    """Row counts of the packages' datastore tables, counting the tables not counted yet."""
    session = model.Session
    resources = session.execute(DATASTORE_RESOURCES, {"ids": package_ids}).all()
    table = DatastoreTable.__table__
    known = {
        row.resource_id: row.rows
        for row in session.execute(sa.select(table).where(table.c.package_id.in_(package_ids)))
    }
    counts: dict[str, list[int]] = defaultdict(list)
    for resource_id, package_id in resources:
        rows = None if recount else known.get(resource_id)
        if rows is None:
            rows = _datastore_row_count(resource_id)
            if rows is None:
                continue
            _store_table_rows(resource_id, package_id, rows)
        counts[package_id].append(rows)
    active = {resource_id for resource_id, _ in resources}
    gone = [resource_id for resource_id in known if resource_id not in active]
    if gone:
        session.execute(sa.delete(table).where(table.c.resource_id.in_(gone)))
    return counts


def _store_table_rows(resource_id: str, package_id: str, rows: int) -> None:
    table = DatastoreTable.__table__
    statement = insert(table).values(resource_id=resource_id, package_id=package_id, rows=rows)
    model.Session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.resource_id], set_={"rows": statement.excluded.rows, "package_id": package_id}
        )
    )


def _current_snapshots(package_ids: list[str], recount: bool = False) -> dict[str, Snapshot | None]:
    model.Session.flush()
    packages = model.Session.execute(PACKAGE_COLUMNS, {"ids": package_ids}).mappings().all()
    rows = _table_rows(package_ids, recount)
    with_resources = catalogue.packages_with_resources(package_ids)
    snapshots: dict[str, Snapshot | None] = dict.fromkeys(package_ids)
    for package in packages:
        snapshots[package["id"]] = _snapshot(package, rows.get(package["id"]), package["id"] in with_resources)
    return snapshots


# --- Changing the counters -------------------------------------------------------------------


def refresh(package_ids: Iterable[str], deleting: bool = False) -> None:
    """Bring the counters in line with the packages as they are now in this transaction.

    ``deleting``: the packages are about to be deleted (CKAN calls after_dataset_delete
    before it changes their state). Callers commit (CKAN's actions do, right after the
    IPackageController hooks that call it).
    """
    ids = sorted(set(package_ids))
    if not ids:
        return
    table = PackageSnapshot.__table__
    stored = {
        row["package_id"]: Snapshot.from_row(row)
        for row in model.Session.execute(
            sa.select(table).where(table.c.package_id.in_(ids)).order_by(table.c.package_id).with_for_update()
        ).mappings()
    }
    current = dict.fromkeys(ids) if deleting else _current_snapshots(ids)
    delta: dict[CellKey, dict[str, int]] = defaultdict(lambda: dict.fromkeys(METRICS, 0))
    for package_id in ids:
        old, new = stored.get(package_id), current[package_id]
        if old == new:
            continue
        for sign, snapshot in ((-1, old), (1, new)):
            if snapshot is None:
                continue
            for cell, metrics in snapshot.contribution().items():
                for metric, value in metrics.items():
                    delta[cell][metric] += sign * value
        if new is None:
            model.Session.execute(sa.delete(table).where(table.c.package_id == package_id))
        else:
            statement = insert(table).values(**new.as_row())
            model.Session.execute(
                statement.on_conflict_do_update(
                    index_elements=[table.c.package_id],
                    set_={column: statement.excluded[column] for column in new.as_row() if column != "package_id"},
                )
            )
    _apply({cell: metrics for cell, metrics in delta.items() if any(metrics.values())})


def refresh_resource_table(resource_id: str) -> None:
    """Recount a datastore table after a write, then the figures of its package."""
    resource = model.Resource.get(resource_id)
    if resource is None:
        return
    rows = _datastore_row_count(resource_id)
    if rows is None:
        table = DatastoreTable.__table__
        model.Session.execute(sa.delete(table).where(table.c.resource_id == resource_id))
    else:
        _store_table_rows(resource_id, resource.package_id, rows)
    refresh([resource.package_id])


def _apply(delta: dict[CellKey, dict[str, int]]) -> None:
    """Add ``delta`` to the counter cells and keep the number of keys per dimension right.

    The upsert returns each cell's new package count; with our own delta that gives the old
    one, and a cell going from 0 to some (or back) adds (or removes) a key. Rows are locked
    by the upsert until commit, so concurrent changes see each other's results.
    """
    if not delta:
        return
    table = Counter.__table__
    rows = [
        dict(zip(("audience", "scope", "scope_key", "dimension", "key"), cell, strict=False), **metrics)
        for cell, metrics in sorted(delta.items())
    ]
    statement = insert(table).values(rows)
    returned = model.Session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.audience, table.c.scope, table.c.scope_key, table.c.dimension, table.c.key],
            set_={metric: table.c[metric] + statement.excluded[metric] for metric in METRICS},
        ).returning(table.c.audience, table.c.scope, table.c.scope_key, table.c.dimension, table.c.key, table.c.packages)
    ).all()
    key_delta: dict[tuple[str, str, str, str], int] = defaultdict(int)
    for audience, scope, scope_key, dimension, key, packages in returned:
        change = delta[(audience, scope, scope_key, dimension, key)]["packages"]
        if dimension == TOTAL or not change:
            continue
        before = packages - change
        if before <= 0 < packages:
            key_delta[(audience, scope, scope_key, dimension)] += 1
        elif packages <= 0 < before:
            key_delta[(audience, scope, scope_key, dimension)] -= 1
    _add_key_counts({key: value for key, value in key_delta.items() if value})


def _add_key_counts(key_delta: Mapping[tuple[str, str, str, str], int]) -> None:
    if not key_delta:
        return
    table = KeyCount.__table__
    statement = insert(table).values(
        [
            {"audience": audience, "scope": scope, "scope_key": scope_key, "dimension": dimension, "keys": value}
            for (audience, scope, scope_key, dimension), value in sorted(key_delta.items())
        ]
    )
    model.Session.execute(
        statement.on_conflict_do_update(
            index_elements=[table.c.audience, table.c.scope, table.c.scope_key, table.c.dimension],
            set_={"keys": table.c["keys"] + statement.excluded["keys"]},
        )
    )


def counted_package_ids() -> list[str]:
    return list(
        model.Session.execute(
            sa.text("SELECT id FROM package WHERE type IN :types AND state IN :states ORDER BY id").bindparams(
                sa.bindparam("types", expanding=True), sa.bindparam("states", expanding=True)
            ),
            {"types": list(COUNTED_TYPES), "states": list(STAFF_STATES)},
        ).scalars()
    )


def _batches(items: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def rebuild(package_ids: Iterable[str] | None = None) -> None:
    """Recompute every counter from the packages, recounting every datastore table.

    ``package_ids`` defaults to ``counted_package_ids()``; the CLI passes them through a
    progress bar. One transaction: readers see the old figures until the new ones are whole,
    and package changes made meanwhile wait for it (the snapshot table is locked).
    """
    session = model.Session
    session.execute(sa.text(f"LOCK TABLE {PackageSnapshot.__tablename__} IN EXCLUSIVE MODE"))
    for table in (Counter, KeyCount, PackageSnapshot, DatastoreTable):
        session.execute(sa.delete(table.__table__))
    cells: dict[CellKey, dict[str, int]] = defaultdict(lambda: dict.fromkeys(METRICS, 0))
    for batch in _batches(counted_package_ids() if package_ids is None else package_ids, BATCH_SIZE):
        snapshots = [snapshot for snapshot in _current_snapshots(batch, recount=True).values() if snapshot]
        if snapshots:
            session.execute(insert(PackageSnapshot.__table__), [snapshot.as_row() for snapshot in snapshots])
        for snapshot in snapshots:
            for cell, metrics in snapshot.contribution().items():
                for metric, value in metrics.items():
                    cells[cell][metric] += value
    rows = [dict(zip(("audience", "scope", "scope_key", "dimension", "key"), cell, strict=False), **metrics) for cell, metrics in cells.items()]
    if rows:
        session.execute(insert(Counter.__table__), rows)
    keys: dict[tuple[str, str, str, str], int] = defaultdict(int)
    for (audience, scope, scope_key, dimension, _key), metrics in cells.items():
        if dimension != TOTAL and metrics["packages"] > 0:
            keys[(audience, scope, scope_key, dimension)] += 1
    _add_key_counts(keys)
    model.repo.commit()
