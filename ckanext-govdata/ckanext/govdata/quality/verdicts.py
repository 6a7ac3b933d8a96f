"""Verdicts kept as the data is written, so that checking a table counts instead of evaluating.

Evaluating every rule on every row costs about 135 times a ``count(*)`` of a million-row table
(bench/quality.py), however the SQL is written. So the verdicts are kept up to date by the
writes themselves: a table's first check builds them (one evaluation of the whole table, like
``checks.run_table``), and from then on statement-level triggers on the datastore table work on
the rows each statement inserts, updates or deletes (its transition tables), in the same
transaction. A check then reads:

- the rows failing a row rule (required, type, format, pattern, code list): ``q_<table>_v``
  holds the ``_id`` and a bit mask of the failed rules of each failing row, no passing rows;
- the keys of a unique rule with their number of rows: ``q_<table>_u<n>``, a partial index
  on the keys found more than once;
- the keys of a reference rule with their rows and whether the other table has them:
  ``q_<table>_r<n>``, a partial index on the missing ones; the other table's keys are counted
  in ``t_<table>_<column>`` by triggers on that table, which set or clear ``found``.

Everything lives in the schema ``govdata_quality`` of the datastore database, to which the
datastore's read-only role has no access: ``datastore_search_sql`` cannot read it (quality
findings are the department's), and the datastore's table listing does not show it.

What a trigger cannot follow makes the verdicts stale rather than wrong: a TRUNCATE, or any
error in the upkeep (caught, so that a write never fails for quality's sake), sets ``stale`` in
``govdata_quality.state``; a table or referenced table dropped and created again (a new oid),
a column's type changed, a trigger removed or a rule changed shows as a different signature.
The next check then builds the verdicts again.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from ckanext.govdata.quality import checks
from ckanext.govdata.quality.checks import Finding, RuleSpec
from ckanext.govdata.quality.kinds import quoted
from ckanext.govdata.quality.upkeep import (
    SCHEMA,
    STATE,
    Plan,
    _column_list,
    _function,
    _hash,
    _Literals,
    _own_upkeep,
    _reference_counts,
    _row_verdicts,
    _side,
    _string,
    _target_counts,
    _target_function,
    _target_table,
    _target_upkeep,
    _unique_counts,
    plan,
)

OWN_TRIGGER, TARGET_TRIGGER = "govdata_quality_own", "govdata_quality_target"
EVENTS = {
    "ins": "AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows",
    "upd": "AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "del": "AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows",
    "trunc": "AFTER TRUNCATE ON {table}",
}


def _execute(connection: sa.engine.Connection, sql: str) -> None:
    """SQL without parameters, as it is: through the driver's cursor (SQLAlchemy's text() would
    read colons as parameters, and psycopg2 percent signs given any parameters)."""
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


def _exists(connection: sa.engine.Connection, name: str) -> bool:
    """Whether the table (SQL naming it) exists."""
    return connection.execute(sa.text("SELECT to_regclass(:name)"), {"name": name}).scalar() is not None


def _triggers(connection: sa.engine.Connection, table: str, prefix: str, function: str) -> None:
    _drop_triggers(connection, table, prefix)
    for event, clause in EVENTS.items():
        _execute(connection, f"CREATE TRIGGER {quoted(f'{prefix}_{event}')} {clause.format(table=table)} "
                             f"FOR EACH STATEMENT EXECUTE FUNCTION {function}()")


def _drop_triggers(connection: sa.engine.Connection, table: str, prefix: str) -> None:
    for event in EVENTS:
        _execute(connection, f"DROP TRIGGER IF EXISTS {quoted(f'{prefix}_{event}')} ON {table}")


def _serialised(connection: sa.engine.Connection) -> None:
    """One change of verdicts at a time (two builds locking tables in different orders would
    deadlock), and literals read as written: with standard_conforming_strings off a backslash
    would escape the quote that closes a pattern."""
    connection.execute(sa.text("SELECT pg_advisory_xact_lock(hashtext('govdata_quality'))"))
    connection.execute(sa.text("SET LOCAL standard_conforming_strings = on"))


def ensure_schema(connection: sa.engine.Connection) -> None:
    """The schema and its state table, closed to everyone but the datastore's writer (its owner)."""
    _execute(connection, f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
    _execute(connection, f"REVOKE ALL ON SCHEMA {SCHEMA} FROM PUBLIC")
    _execute(connection, f"""CREATE TABLE IF NOT EXISTS {STATE} (
        resource_id text PRIMARY KEY, signature text NOT NULL, stale boolean NOT NULL DEFAULT false,
        depends_on text[] NOT NULL DEFAULT '{{}}', refs jsonb NOT NULL DEFAULT '[]', built timestamptz)""")


def signature(connection: sa.engine.Connection, plan_: Plan) -> str | None:
    """What the verdicts were built from: the rules, the table's and referenced tables' oids,
    their checked columns' types and whether the triggers are in place; None when a table is missing."""
    parts: list[Any] = [[dataclasses.astuple(rule) for rule in (*plan_.row_rules, *plan_.unique, *plan_.references)]]
    tables = [(plan_.resource_id, sorted({c for rule in (*plan_.row_rules, *plan_.unique, *plan_.references)
                                          for c in rule.columns}), OWN_TRIGGER)]
    tables += [(target, [column], TARGET_TRIGGER) for target, column in plan_.targets]
    for table, columns, trigger in tables:
        row = connection.execute(sa.text(
            "SELECT c.oid::bigint, (SELECT count(*) FROM pg_trigger t WHERE t.tgrelid = c.oid AND t.tgname LIKE :trigger), "
            "(SELECT json_object_agg(attname, format_type(atttypid, atttypmod) ORDER BY attname)::text FROM pg_attribute "
            " WHERE attrelid = c.oid AND attnum > 0 AND NOT attisdropped AND attname = ANY(:columns)) "
            "FROM pg_class c WHERE c.oid = to_regclass(:name)"
        ), {"name": quoted(table), "trigger": trigger + "\\_%", "columns": columns}).one_or_none()
        if row is None:
            return None
        parts.append([table, row[0], row[1], row[2]])
    return hashlib.sha256(json.dumps(parts, sort_keys=True, default=str).encode()).hexdigest()


def is_current(connection: sa.engine.Connection, plan_: Plan) -> bool:
    if not _exists(connection, STATE):
        return False
    row = connection.execute(sa.text(f"SELECT signature, stale FROM {STATE} WHERE resource_id = :id"),
                             {"id": plan_.resource_id}).one_or_none()
    return row is not None and not row.stale and row.signature == signature(connection, plan_)


def build(connection: sa.engine.Connection, plan_: Plan) -> None:
    """The table's verdicts from scratch, their triggers, and the triggers of the tables it
    refers to; in the caller's transaction, writes to these tables held off meanwhile."""
    _serialised(connection)
    ensure_schema(connection)
    table = quoted(plan_.resource_id)
    for name in [plan_.resource_id, *(target for target, _column in plan_.targets)]:
        _execute(connection, f"LOCK TABLE {quoted(name)} IN SHARE ROW EXCLUSIVE MODE")
    previous = connection.execute(sa.text(f"SELECT depends_on FROM {STATE} WHERE resource_id = :id"),
                                  {"id": plan_.resource_id}).scalar() or []
    _drop_triggers(connection, table, OWN_TRIGGER)
    _drop_side(connection, f"q_{plan_.key}_")
    binds = _Literals()
    if plan_.row_rules:
        # CREATE TABLE AS may scan in parallel (INSERT … SELECT may not); the key is indexed after.
        _execute(connection, binds.render(f"CREATE TABLE {plan_.verdicts} AS {_row_verdicts(table, plan_, binds)}"))
        _execute(connection, f"ALTER TABLE {plan_.verdicts} ALTER COLUMN mask SET NOT NULL, ADD PRIMARY KEY (_id)")
    for index, rule in enumerate(plan_.unique):
        unique = plan_.unique_table(index)
        _execute(connection, binds.render(f"CREATE TABLE {unique} AS {_unique_counts(table, rule)}"))
        _execute(connection, f"ALTER TABLE {unique} ADD PRIMARY KEY ({_column_list(rule.columns)})")
        _execute(connection, f"CREATE INDEX ON {unique} (n) WHERE n > 1")
    for target, column in plan_.targets:
        keys = _target_table(target, column)
        _execute(connection, f"DROP TABLE IF EXISTS {keys}")
        _execute(connection, f"CREATE TABLE {keys} AS {_target_counts(quoted(target), column)}")
        _execute(connection, f"ALTER TABLE {keys} ADD PRIMARY KEY (key)")
    refs = []
    for index, rule in enumerate(plan_.references):
        reference = plan_.reference_table(index)
        keys = _target_table(rule.params["resource_id"], rule.params["column"])
        _execute(connection, binds.render(
            f"CREATE TABLE {reference} AS SELECT d.key, d.n, t.key IS NOT NULL AS found "
            f"FROM ({_reference_counts(table, rule)}) AS d LEFT JOIN {keys} AS t ON t.key = d.key"))
        _execute(connection, f"ALTER TABLE {reference} ADD PRIMARY KEY (key)")
        _execute(connection, f"CREATE INDEX ON {reference} (n) WHERE NOT found")
        refs.append({"table": reference, "target": rule.params["resource_id"], "column": rule.params["column"]})
    out, into = _own_upkeep(plan_)
    _execute(connection, _function(plan_.function, f"resource_id = {_string(plan_.resource_id)}", out, into, True))
    _triggers(connection, table, OWN_TRIGGER, plan_.function)
    targets = sorted({target for target, _column in plan_.targets})
    connection.execute(sa.text(
        f"INSERT INTO {STATE} (resource_id, signature, stale, depends_on, refs, built) "
        "VALUES (:id, '', false, :depends, CAST(:refs AS jsonb), now()) ON CONFLICT (resource_id) DO UPDATE "
        "SET stale = false, depends_on = EXCLUDED.depends_on, refs = EXCLUDED.refs, built = EXCLUDED.built"
    ), {"id": plan_.resource_id, "depends": targets, "refs": json.dumps(refs)})
    for target in sorted(set(targets) | set(previous)):
        _target_triggers(connection, target)
    connection.execute(sa.text(f"UPDATE {STATE} SET signature = :signature WHERE resource_id = :id"),
                       {"id": plan_.resource_id, "signature": signature(connection, plan_) or ""})


def _drop_side(connection: sa.engine.Connection, prefix: str) -> None:
    """Drop the side tables whose names start with ``prefix``."""
    for (name,) in connection.execute(sa.text(
        "SELECT relname FROM pg_class WHERE relnamespace = CAST(:schema AS regnamespace) AND relkind = 'r' "
        "AND relname LIKE :prefix"), {"schema": SCHEMA, "prefix": prefix.replace("_", "\\_") + "%"}).all():
        _execute(connection, f"DROP TABLE {_side(name)}")


def _target_triggers(connection: sa.engine.Connection, target: str) -> None:
    """The triggers of a referenced table, for every built table that refers to it now."""
    if not _exists(connection, quoted(target)):
        return
    dependents = [
        (ref["table"], ref["column"])
        for (refs,) in connection.execute(sa.text(f"SELECT refs::text FROM {STATE} WHERE :target = ANY(depends_on)"),
                                          {"target": target})
        for ref in json.loads(refs) if ref["target"] == target
    ]
    if not dependents:
        _drop_triggers(connection, quoted(target), TARGET_TRIGGER)
        _drop_side(connection, f"t_{_hash(target)}_")
        _execute(connection, f"DROP FUNCTION IF EXISTS {_target_function(target)}()")
        return
    out, into = _target_upkeep(target, dependents)
    function = _target_function(target)
    _execute(connection, _function(function, f"{_string(target)} = ANY(depends_on)", out, into, False))
    _triggers(connection, quoted(target), TARGET_TRIGGER, function)


def findings(connection: sa.engine.Connection, plan_: Plan, rules: Sequence[RuleSpec],
             record_count: int | None) -> list[Finding]:
    """Every rule's finding from the verdicts (which must be current): a count of the table and
    one read of each side table's failing part."""
    parts = [f"(SELECT count(*) FROM {quoted(plan_.resource_id)}) AS total"]
    if plan_.row_rules:
        counts = ", ".join(f"count(*) FILTER (WHERE mask & {1 << index} <> 0)" for index in range(len(plan_.row_rules)))
        parts.append(f"(SELECT ARRAY[{counts}] FROM {plan_.verdicts}) AS row_rules")
    parts += [f"(SELECT coalesce(sum(n), 0) FROM {plan_.unique_table(index)} WHERE n > 1) AS u{index}"
              for index in range(len(plan_.unique))]
    parts += [f"(SELECT coalesce(sum(n), 0) FROM {plan_.reference_table(index)} WHERE NOT found) AS r{index}"
              for index in range(len(plan_.references))]
    row = connection.execute(sa.text(f"SELECT {', '.join(parts)}")).mappings().one()
    total = int(row["total"])
    failed: dict[str, int] = {}
    for index, rule in enumerate(plan_.row_rules):
        failed[rule.id] = int(row["row_rules"][index])
    for index, rule in enumerate(plan_.unique):
        failed[rule.id] = int(row[f"u{index}"])
    for index, rule in enumerate(plan_.references):
        failed[rule.id] = int(row[f"r{index}"])
    result = []
    for rule in rules:
        if rule.id in failed:
            result.append(Finding(rule.id, total, failed[rule.id]))
        else:
            result.append(checks.record_count_finding(rule.id, total, record_count))
    return result


def check_table(engine: sa.engine.Engine, resource_id: str, rules: Sequence[RuleSpec], record_count: int | None,
                timeout: int) -> tuple[list[Finding], bool] | None:
    """The table's findings from its verdicts, built first when they are not current; None when
    the rules cannot be kept as verdicts. Also says whether they were built."""
    plan_ = plan(resource_id, rules)
    if plan_ is None:
        return None
    with engine.begin() as connection:
        checks.set_timeout(connection, timeout)
        built = not is_current(connection, plan_)
        if built:
            build(connection, plan_)
        return findings(connection, plan_, rules, record_count), built


def drop(engine: sa.engine.Engine, resource_id: str) -> None:
    """Forget a table's verdicts, their triggers and the upkeep of the tables it referred to
    (its last rule kept as a verdict is gone)."""
    key = _hash(resource_id)
    with engine.begin() as connection:
        if not _exists(connection, STATE):
            return
        _serialised(connection)
        previous = connection.execute(sa.text(f"DELETE FROM {STATE} WHERE resource_id = :id RETURNING depends_on"),
                                      {"id": resource_id}).scalar() or []
        if _exists(connection, quoted(resource_id)):
            _drop_triggers(connection, quoted(resource_id), OWN_TRIGGER)
        _drop_side(connection, f"q_{key}_")
        _execute(connection, f"DROP FUNCTION IF EXISTS {_side(f'q_{key}')}()")
        for target in previous:
            _target_triggers(connection, target)
