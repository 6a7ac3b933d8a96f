"""The SQL that keeps a table's quality verdicts (``verdicts.py`` says what they are): the plan
of a table's rules and the names of its side tables, literals for function bodies, and the
statements over a relation (the table when building, a transition table in a trigger) with the
trigger functions made of them.
"""
from __future__ import annotations

import dataclasses
import hashlib
from collections.abc import Sequence
from typing import Any

from ckanext.govdata.quality.checks import RuleSpec, compile_rules, projection
from ckanext.govdata.quality.kinds import KINDS, Binds, present, quoted, text_alias

SCHEMA = "govdata_quality"
STATE = f"{SCHEMA}.state"
# Row rules share one bigint mask a row.
MAX_ROW_RULES = 63

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
