"""Compiling the rules of a datastore table into SQL, and running them inside PostgreSQL.

All the rules of one table become ONE query: a ``count(*) FILTER (WHERE <failing>)`` per rule
over a single scan of the table. Key rules need to know whether a key occurs twice; a window
count per key (``count(*) OVER (PARTITION BY key)``) in a subquery of the referenced columns
gives that within the same query. Nothing is read row by row in Python, except the failing rows
of one rule that the department downloads, limited in number.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from ckanext.govdata.quality.kinds import KINDS, Binds, Check, bytes_of, identifier, quoted, text_alias, text_of

ROW_ID = "_id"


@dataclasses.dataclass(frozen=True)
class RuleSpec:
    """What the compiler needs of a rule (a model row, or a rule being tried)."""

    id: str
    kind: str
    columns: tuple[str, ...]
    params: dict[str, Any]


@dataclasses.dataclass(frozen=True)
class Finding:
    rule_id: str
    checked: int
    failed: int


def _window_name(index: int) -> str:
    """The name of rule ``index``'s helper column (a window count, or a joined key). Datastore
    columns never start with an underscore, so these cannot clash with the table's."""
    return f"__rule_{index}"


def compile_rules(rules: Sequence[RuleSpec], binds: Binds) -> dict[str, Check]:
    """Each rule's check (the record count rule has none), by rule id."""
    compiled: dict[str, Check] = {}
    for index, rule in enumerate(rules):
        builder = KINDS[rule.kind].builder
        if builder is not None:
            compiled[rule.id] = builder(list(rule.columns), rule.params, binds, _window_name(index))
    return compiled


def compile_checks(resource_id: str, rules: Sequence[RuleSpec], binds: Binds) -> tuple[str, dict[str, Check]]:
    """The one query counting the table's rows and each row rule's failing rows; the record
    count rule needs only the row count. Returns the SQL and each rule's compiled check."""
    compiled = compile_rules(rules, binds)
    counts = ["count(*) AS total"] + [
        f"count(*) FILTER (WHERE {check.failing}) AS {identifier('failed_' + rule_id)}"
        for rule_id, check in compiled.items()
    ]
    return f"SELECT {', '.join(counts)} FROM {_source(resource_id, rules, compiled)}", compiled


def _source(resource_id: str, rules: Sequence[RuleSpec], compiled: dict[str, Check], whole_rows: bool = False) -> str:
    """The table as ``projection`` gives it (every column with ``whole_rows``) with one window
    count per key, joined to the keys of each referenced table."""
    windows = [
        (_window_name(index), compiled[rule.id].partition)
        for index, rule in enumerate(rules)
        if rule.id in compiled and compiled[rule.id].partition
    ]
    counts = [
        f"count(*) OVER (PARTITION BY {', '.join(identifier(c) for c in partition)}) AS {identifier(name)}"
        for name, partition in windows
    ]
    source = projection(identifier(resource_id), rules, compiled, ["*"] if whole_rows else None, counts)
    for index, rule in enumerate(rules):
        reference = compiled[rule.id].reference if rule.id in compiled else None
        if reference is not None:
            target, target_column, column = reference
            name = identifier(_window_name(index))
            keys = (
                f"SELECT DISTINCT btrim({identifier(target_column)}::text) AS {name} FROM {identifier(target)} "
                f"WHERE {identifier(target_column)} IS NOT NULL"
            )
            source += f" LEFT JOIN ({keys}) AS {name} ON {name}.{name} = checked.{identifier(text_alias(column))}"
    return source


def projection(relation: str, rules: Sequence[RuleSpec], compiled: dict[str, Check],
               selected: list[str] | None = None, extra: Sequence[str] = ()) -> str:
    """``relation`` (SQL naming a table, or a trigger's transition table) as the subquery
    ``checked`` that the conditions read: ``selected`` (the rules' columns by default), each
    column's trimmed text once (as bytes too, for the conditions reading characters' codes) and
    ``extra`` projections. OFFSET 0 keeps PostgreSQL from folding it into the outer query, which
    would compute the text again in each condition."""
    columns = sorted({column for rule in rules for column in rule.columns})
    if selected is None:
        selected = [identifier(column) for column in columns] or ["1"]
    read_as_bytes = sorted({column for check in compiled.values() for column in check.reads_bytes})
    projected = [*selected, *(text_of(column) for column in columns), *(bytes_of(column) for column in read_as_bytes), *extra]
    return f"(SELECT {', '.join(projected)} FROM {relation} OFFSET 0) AS checked"


def set_timeout(connection: sa.engine.Connection, seconds: int) -> None:
    connection.execute(sa.text("SELECT set_config('statement_timeout', :value, true)"), {"value": f"{seconds}s"})


def run_table(
    engine: sa.engine.Engine, resource_id: str, rules: Sequence[RuleSpec], record_count: int | None, timeout: int
) -> list[Finding]:
    """Every rule of one table, checked in one query."""
    binds = Binds()
    query, compiled = compile_checks(resource_id, rules, binds)
    with engine.begin() as connection:
        set_timeout(connection, timeout)
        row = connection.execute(sa.text(query), binds.values).mappings().one()
    total = int(row["total"])
    findings = []
    for rule in rules:
        if rule.id in compiled:
            findings.append(Finding(rule.id, total, int(row["failed_" + rule.id])))
        else:
            findings.append(record_count_finding(rule.id, total, record_count))
    return findings


def record_count_finding(rule_id: str, total: int, record_count: int | None) -> Finding:
    """A record count rule fails by the rows the metadata's count is off by (all of them when
    the metadata gives none)."""
    expected = record_count if record_count is not None else 0
    checked = max(total, expected, 1)
    failed = checked if record_count is None else min(abs(total - record_count), checked)
    return Finding(rule_id, checked, failed)


def failing_rows(
    engine: sa.engine.Engine, resource_id: str, rule: RuleSpec, limit: int, timeout: int
) -> tuple[list[str], Iterator[Sequence[Any]]]:
    """The rows of the table that fail ``rule`` (at most ``limit``, in table order): the column
    names and the rows. A record count rule has no failing rows of its own."""
    if KINDS[rule.kind].builder is None:
        return [], iter(())
    binds = Binds()
    _query, compiled = compile_checks(resource_id, [rule], binds)
    check = compiled[rule.id]
    source = _source(resource_id, [rule], compiled, whole_rows=True)
    query = f"SELECT * FROM {source} WHERE {check.failing} ORDER BY {identifier(ROW_ID)} LIMIT {binds(limit)}"
    with engine.begin() as connection:
        set_timeout(connection, timeout)
        result = connection.execute(sa.text(query), binds.values)
        columns = list(result.keys())
        names = [str(name) for name in columns if not str(name).startswith("__")]
        rows = [tuple(row._mapping[name] for name in names) for row in result]
    return names, iter(rows)


def table_columns(engine: sa.engine.Engine, resource_id: str) -> dict[str, str] | None:
    """The columns of a datastore table and their database types, None when there is no such table."""
    with engine.connect() as connection:
        if connection.execute(sa.text("SELECT to_regclass(:name)"), {"name": quoted(resource_id)}).scalar() is None:
            return None
        rows = connection.execute(
            sa.text(
                "SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute "
                "WHERE attrelid = to_regclass(:name) AND attnum > 0 AND NOT attisdropped ORDER BY attnum"
            ),
            {"name": quoted(resource_id)},
        ).all()
    return {str(row[0]): str(row[1]) for row in rows}


def pattern_is_valid(engine: sa.engine.Engine, pattern: str) -> bool:
    """Whether PostgreSQL accepts ``pattern`` as a regular expression (its dialect, not Python's)."""
    try:
        with engine.begin() as connection:
            connection.execute(sa.text("SELECT '' ~ :pattern"), {"pattern": pattern})
    except sa.exc.DBAPIError:
        return False
    return True
