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

from ckanext.govdata.quality.checks import Finding, RuleSpec, compile_rules, projection
from ckanext.govdata.quality.kinds import KINDS, Binds, present, quoted, text_alias

SCHEMA = "govdata_quality"
STATE = f"{SCHEMA}.state"
# Row rules share one bigint mask a row.
MAX_ROW_RULES = 63
OWN_TRIGGER, TARGET_TRIGGER = "govdata_quality_own", "govdata_quality_target"
EVENTS = {
    "ins": "AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows",
    "upd": "AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows",
    "del": "AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows",
    "trunc": "AFTER TRUNCATE ON {table}",
}


class _Literals(Binds):
    """Binds written into the SQL as literals, for the triggers' function bodies (which take no
    parameters). Each value is a placeholder until ``render`` (no identifier holds a NUL)."""

    def __call__(self, value: Any) -> str:
        name = f"\x00{len(self.values)}\x00"
        self.values[name] = value
        return name

    def render(self, sql: str) -> str:
        # ``identifier`` escapes colons for SQLAlchemy's text(); this SQL does not go through it.
        sql = sql.replace("\\:", ":")
        for name, value in self.values.items():
            sql = sql.replace(name, literal(value))
        return sql


def _string(value: str) -> str:
    if "\x00" in value:
        raise ValueError("a NUL character in a literal")
    return "'" + value.replace("'", "''") + "'"


def literal(value: Any) -> str:
    """A SQL literal for the values rules bind: text (standard conforming strings), integers,
    bytes and lists of text."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, bytes):
        return f"decode('{value.hex()}', 'hex')"
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list | tuple):
        return "CAST(ARRAY[" + ", ".join(_string(str(item)) for item in value) + "] AS text[])"
    raise TypeError(f"no literal for {type(value).__name__}")


def _hash(text: str, size: int = 32) -> str:
    return hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()[:size]


def _side(name: str) -> str:
    return f"{SCHEMA}.{quoted(name)}"


@dataclasses.dataclass(frozen=True)
class Plan:
    """What a table's verdicts are made of: its row rules (rule i is bit i of the mask), its
    unique rules and its reference rules, each with the name of its side table."""

    resource_id: str
    row_rules: tuple[RuleSpec, ...]
    unique: tuple[RuleSpec, ...]
    references: tuple[RuleSpec, ...]

    @property
    def key(self) -> str:
        return _hash(self.resource_id)

    @property
    def verdicts(self) -> str:
        return _side(f"q_{self.key}_v")

    def unique_table(self, index: int) -> str:
        return _side(f"q_{self.key}_u{index}")

    def reference_table(self, index: int) -> str:
        return _side(f"q_{self.key}_r{index}")

    @property
    def function(self) -> str:
        return _side(f"q_{self.key}")

    @property
    def targets(self) -> list[tuple[str, str]]:
        return sorted({(rule.params["resource_id"], rule.params["column"]) for rule in self.references})


def plan(resource_id: str, rules: Sequence[RuleSpec]) -> Plan | None:
    """The plan of a table's rules; None when there is nothing to keep (only a record count
    rule) or it cannot be kept (more row rules than a mask holds): such a table is checked by
    evaluating it."""
    row_rules = tuple(rule for rule in rules if KINDS[rule.kind].builder is not None
                      and rule.kind not in ("unique", "reference"))
    unique = tuple(rule for rule in rules if rule.kind == "unique")
    references = tuple(rule for rule in rules if rule.kind == "reference")
    if len(row_rules) > MAX_ROW_RULES or not (row_rules or unique or references):
        return None
    return Plan(resource_id, row_rules, unique, references)


def _target_table(resource_id: str, column: str) -> str:
    return _side(f"t_{_hash(resource_id)}_{_hash(column, 8)}")


def _target_function(resource_id: str) -> str:
    return _side(f"t_{_hash(resource_id)}")


def _execute(connection: sa.engine.Connection, sql: str) -> None:
    """SQL without parameters, as it is: through the driver's cursor (SQLAlchemy's text() would
    read colons as parameters, and psycopg2 percent signs given any parameters)."""
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
    finally:
        cursor.close()


# The SQL of the upkeep, over a relation (the table when building, a transition table in a trigger).

def _row_verdicts(relation: str, plan_: Plan, binds: Binds) -> str:
    """``_id`` and the mask of failed row rules of each failing row of ``relation``."""
    compiled = compile_rules(plan_.row_rules, binds)
    bits = " | ".join(
        f"(CASE WHEN {compiled[rule.id].failing} THEN {1 << index} ELSE 0 END)::bigint"
        for index, rule in enumerate(plan_.row_rules)
    )
    source = projection(relation, plan_.row_rules, compiled, ['"_id"'])
    return f"SELECT _id, mask FROM (SELECT _id, {bits} AS mask FROM {source}) AS verdicts WHERE mask <> 0"


def _column_list(columns: Sequence[str]) -> str:
    return ", ".join(quoted(column) for column in columns)


def _unique_counts(relation: str, rule: RuleSpec) -> str:
    """The keys of ``relation`` with all their columns filled in, and their rows."""
    source = projection(relation, [rule], {}, [_column_list(rule.columns)])
    filled = " AND ".join(present(column) for column in rule.columns)
    return (f"SELECT {_column_list(rule.columns)}, count(*)::bigint AS n FROM {source} "
            f"WHERE {filled} GROUP BY {_column_list(rule.columns)}")


def _reference_counts(relation: str, rule: RuleSpec) -> str:
    """The filled-in keys of ``relation`` (trimmed text, as the reference rule compares them) and their rows."""
    column = rule.columns[0]
    source = projection(relation, [rule], {})
    return (f"SELECT {quoted(text_alias(column))} AS key, count(*)::bigint AS n FROM {source} "
            f"WHERE {present(column)} GROUP BY 1")


def _target_counts(relation: str, column: str) -> str:
    return (f"SELECT btrim({quoted(column)}::text) AS key, count(*)::bigint AS n FROM {relation} "
            f"WHERE {quoted(column)} IS NOT NULL GROUP BY 1")


def _key_match(table: str, columns: Sequence[str], other: str = "d") -> str:
    return " AND ".join(f"{table}.{quoted(column)} = {other}.{quoted(column)}" for column in columns)


def _count_out(table: str, columns: Sequence[str], counts: str) -> list[str]:
    """Take ``counts`` (keys and rows leaving) off a key table, dropping the keys left without rows."""
    return [
        f"DELETE FROM {table} USING ({counts}) AS d WHERE {_key_match(table, columns)} AND {table}.n <= d.n",
        f"UPDATE {table} SET n = {table}.n - d.n FROM ({counts}) AS d WHERE {_key_match(table, columns)}",
    ]


def _count_in(table: str, columns: Sequence[str], counts: str, found: str | None = None) -> str:
    """Add ``counts`` (keys and rows arriving) to a key table; a reference key's ``found`` is
    worked out when the key arrives, then kept by the other table's triggers."""
    names = _column_list(columns)
    if found is None:
        return (f"INSERT INTO {table} ({names}, n) SELECT * FROM ({counts}) AS d "
                f"ON CONFLICT ({names}) DO UPDATE SET n = {table}.n + EXCLUDED.n")
    return (f"INSERT INTO {table} (key, n, found) SELECT d.key, d.n, EXISTS (SELECT 1 FROM {found} AS t "
            f"WHERE t.key = d.key) FROM ({counts}) AS d ON CONFLICT (key) DO UPDATE SET n = {table}.n + EXCLUDED.n")


def _own_upkeep(plan_: Plan) -> tuple[list[str], list[str]]:
    """The statements for rows leaving (old_rows) and arriving (new_rows) on the table itself."""
    binds = _Literals()
    out: list[str] = []
    into: list[str] = []
    if plan_.row_rules:
        out.append(f"DELETE FROM {plan_.verdicts} AS v USING old_rows AS o WHERE v._id = o._id")
        into.append(f"INSERT INTO {plan_.verdicts} (_id, mask) {_row_verdicts('new_rows', plan_, binds)} "
                    "ON CONFLICT (_id) DO UPDATE SET mask = EXCLUDED.mask")
    for index, rule in enumerate(plan_.unique):
        out += _count_out(plan_.unique_table(index), rule.columns, _unique_counts("old_rows", rule))
        into.append(_count_in(plan_.unique_table(index), rule.columns, _unique_counts("new_rows", rule)))
    for index, rule in enumerate(plan_.references):
        table = plan_.reference_table(index)
        out += _count_out(table, ["key"], _reference_counts("old_rows", rule))
        target = _target_table(rule.params["resource_id"], rule.params["column"])
        into.append(_count_in(table, ["key"], _reference_counts("new_rows", rule), found=target))
    return [binds.render(sql) for sql in out], [binds.render(sql) for sql in into]


def _target_upkeep(target: str, dependents: Sequence[tuple[str, str]]) -> tuple[list[str], list[str]]:
    """The statements keeping the keys of a referenced table and the ``found`` of the key tables
    that refer to it (``dependents``: (key table, referenced column))."""
    out: list[str] = []
    into: list[str] = []
    for column in sorted({column for _table, column in dependents}):
        keys = _target_table(target, column)
        out += _count_out(keys, ["key"], _target_counts("old_rows", column))
        into.append(_count_in(keys, ["key"], _target_counts("new_rows", column)))
        distinct = f"SELECT DISTINCT btrim({quoted(column)}::text) AS key FROM {{rows}} WHERE {quoted(column)} IS NOT NULL"
        for table, referenced in dependents:
            if referenced != column:
                continue
            out.append(f"UPDATE {table} AS r SET found = false FROM ({distinct.format(rows='old_rows')}) AS d "
                       f"WHERE r.key = d.key AND r.found AND NOT EXISTS (SELECT 1 FROM {keys} AS t WHERE t.key = d.key)")
            into.append(f"UPDATE {table} AS r SET found = true FROM ({distinct.format(rows='new_rows')}) AS d "
                        "WHERE r.key = d.key AND NOT r.found")
    return out, into


def _function(name: str, stale_when: str, out: list[str], into: list[str], skip_when_stale: bool) -> str:
    """A trigger function for all four events: the statements in a block whose errors mark
    ``stale_when`` stale instead of failing the write; TRUNCATE marks them stale at once."""
    mark = f"UPDATE {STATE} SET stale = true WHERE {stale_when};"
    lines = ["BEGIN"]
    if skip_when_stale:
        lines.append(f"  IF EXISTS (SELECT 1 FROM {STATE} WHERE {stale_when} AND stale) THEN RETURN NULL; END IF;")
    lines += [f"  IF TG_OP = 'TRUNCATE' THEN {mark} RETURN NULL; END IF;", "  BEGIN"]
    if out:
        lines += ["    IF TG_OP IN ('DELETE', 'UPDATE') THEN", *(f"      {sql};" for sql in out), "    END IF;"]
    if into:
        lines += ["    IF TG_OP IN ('INSERT', 'UPDATE') THEN", *(f"      {sql};" for sql in into), "    END IF;"]
    lines += [
        "  EXCEPTION WHEN OTHERS THEN",
        f"    {mark}",
        "    RAISE WARNING 'govdata quality verdicts of % are stale: %', TG_TABLE_NAME, SQLERRM;",
        "  END;",
        "  RETURN NULL;",
        "END",
    ]
    body = "\n".join(lines)
    tag = "$govdata$"
    while tag in body:
        tag = f"$govdata{_hash(tag, 6)}$"
    return (f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql "
            # Each statement joins the rows it changed to side tables by their keys: index lookups,
            # in proportion to the change, never a hash of a whole side table.
            "SET standard_conforming_strings = on SET enable_hashjoin = off SET enable_mergejoin = off "
            f"AS {tag}\n{body}\n{tag}")


def _triggers(connection: sa.engine.Connection, table: str, prefix: str, function: str) -> None:
    for event, clause in EVENTS.items():
        name = quoted(f"{prefix}_{event}")
        _execute(connection, f"DROP TRIGGER IF EXISTS {name} ON {table}")
        _execute(connection, f"CREATE TRIGGER {name} {clause.format(table=table)} FOR EACH STATEMENT EXECUTE FUNCTION {function}()")


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
    if connection.execute(sa.text("SELECT to_regclass(:name)"), {"name": STATE}).scalar() is None:
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
    if connection.execute(sa.text("SELECT to_regclass(:name)"), {"name": quoted(target)}).scalar() is None:
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
            result.append(record_count_finding(rule.id, total, record_count))
    return result


def record_count_finding(rule_id: str, total: int, record_count: int | None) -> Finding:
    """A record count rule fails by the rows the metadata's count is off by (all of them when
    the metadata gives none)."""
    expected = record_count if record_count is not None else 0
    checked = max(total, expected, 1)
    failed = checked if record_count is None else min(abs(total - record_count), checked)
    return Finding(rule_id, checked, failed)


def check_table(engine: sa.engine.Engine, resource_id: str, rules: Sequence[RuleSpec], record_count: int | None,
                timeout: int) -> tuple[list[Finding], bool] | None:
    """The table's findings from its verdicts, built first when they are not current; None when
    the rules cannot be kept as verdicts. Also says whether they were built."""
    plan_ = plan(resource_id, rules)
    if plan_ is None:
        return None
    with engine.begin() as connection:
        connection.execute(sa.text("SELECT set_config('statement_timeout', :value, true)"), {"value": f"{timeout}s"})
        built = not is_current(connection, plan_)
        if built:
            build(connection, plan_)
        return findings(connection, plan_, rules, record_count), built


def drop(engine: sa.engine.Engine, resource_id: str) -> None:
    """Forget a table's verdicts, their triggers and the upkeep of the tables it referred to
    (its last rule kept as a verdict is gone)."""
    key = _hash(resource_id)
    with engine.begin() as connection:
        if connection.execute(sa.text("SELECT to_regclass(:name)"), {"name": STATE}).scalar() is None:
            return
        _serialised(connection)
        previous = connection.execute(sa.text(f"DELETE FROM {STATE} WHERE resource_id = :id RETURNING depends_on"),
                                      {"id": resource_id}).scalar() or []
        if connection.execute(sa.text("SELECT to_regclass(:name)"), {"name": quoted(resource_id)}).scalar() is not None:
            _drop_triggers(connection, quoted(resource_id), OWN_TRIGGER)
        _drop_side(connection, f"q_{key}_")
        _execute(connection, f"DROP FUNCTION IF EXISTS {_side(f'q_{key}')}()")
        for target in previous:
            _target_triggers(connection, target)
