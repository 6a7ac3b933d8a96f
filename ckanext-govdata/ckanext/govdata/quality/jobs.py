"""Runs of the quality checks: queued by an action or a data change, done by a background job.

The job reads each table's findings from the verdicts the writes keep (``verdicts.check_table``,
through the datastore's write connection: it builds them when they are not current), or, when
they cannot be kept, evaluates the table with one query (``checks.run_table``) in the read-only
connection; it writes one result per rule.
"""
from __future__ import annotations

import logging
from collections import defaultdict
from typing import Any

import ckan.plugins.toolkit as tk
import sqlalchemy as sa
from ckan import model

from ckanext.govdata import settings
from ckanext.govdata.calendar import utcnow
from ckanext.govdata.quality import checks, verdicts
from ckanext.govdata.quality.model import Result, Rule, Run

log = logging.getLogger(__name__)

QUEUED, DONE, FAILED = "queued", "done", "failed"
MANUAL, DATA_CHANGE = "manual", "data_change"


def read_engine() -> Any:
    from ckanext.datastore.backend.postgres import get_read_engine

    return get_read_engine()


def new_run(package_id: str, organization_id: str | None, trigger: str, user_id: str | None) -> Run:
    """A queued run, added to the session; ``enqueue`` it once the session is committed."""
    run = Run(package_id=package_id, organization_id=organization_id, state=QUEUED, trigger=trigger,
              requested_by=user_id, created=utcnow())
    model.Session.add(run)
    model.Session.flush()
    return run


def enqueue(run_id: str) -> None:
    tk.enqueue_job(run_checks, [run_id], title=f"govdata quality check {run_id}")


def record_count_of(package: dict[str, Any]) -> int | None:
    try:
        return int(str(package.get("record_count")).strip())
    except ValueError:
        return None


def spec(rule: Rule) -> checks.RuleSpec:
    return checks.RuleSpec(rule.id, rule.kind, tuple(rule.columns or ()), dict(rule.params or {}))


def missing_columns(rule: Rule, engine: Any, tables: dict[str, dict[str, str] | None]) -> str | None:
    """Why ``rule`` cannot be checked against the tables as they are now, or None."""
    columns = tables.get(rule.resource_id)
    if columns is None:
        return "table missing"
    gone = [column for column in rule.columns or () if column not in columns]
    if gone:
        return "column missing: " + ", ".join(gone)
    if rule.kind == "reference":
        target = rule.params.get("resource_id", "")
        if target not in tables:
            tables[target] = checks.table_columns(engine, target)
        if (tables[target] or {}).get(rule.params.get("column", "")) is None:
            return "referenced table or column missing"
    return None


def run_checks(run_id: str) -> None:
    """The job: every rule of the run's dataset, checked in PostgreSQL."""
    run = model.Session.get(Run, run_id)
    if run is None:
        log.warning("Quality run %s not found", run_id)
        return
    try:
        _check(run)
        run.state = DONE
    except Exception as error:  # a failed run is recorded, not retried
        log.exception("Quality run %s failed", run_id)
        model.Session.rollback()
        run = model.Session.get(Run, run_id)
        if run is None:
            return
        run.state, run.error = FAILED, str(error)[:2000]
    run.finished = utcnow()
    model.Session.commit()


def _check(run: Run) -> None:
    options = settings.current().quality
    package = tk.get_action("package_show")({"ignore_auth": True}, {"id": run.package_id})
    run.organization_id = package.get("owner_org")
    rules = model.Session.query(Rule).filter(Rule.package_id == run.package_id).order_by(Rule.created).all()
    engine = read_engine()
    tables: dict[str, dict[str, str] | None] = {}
    by_table: dict[str, list[Rule]] = defaultdict(list)
    for rule in rules:
        if rule.resource_id not in tables:
            tables[rule.resource_id] = checks.table_columns(engine, rule.resource_id)
        by_table[rule.resource_id].append(rule)
    for resource_id, table_rules in by_table.items():
        runnable = []
        for rule in table_rules:
            problem = missing_columns(rule, engine, tables)
            if problem:
                _add_result(run, rule, 0, 0, problem)
            else:
                runnable.append(rule)
        if not runnable:
            continue
        specs = [spec(rule) for rule in runnable]
        kept = _from_verdicts(resource_id, specs, record_count_of(package), options.statement_timeout)
        findings = kept if kept is not None else checks.run_table(
            engine, resource_id, specs, record_count_of(package), options.statement_timeout)
        for rule, finding in zip(runnable, findings, strict=True):
            _add_result(run, rule, finding.checked, finding.failed, None)


def _from_verdicts(resource_id: str, specs: list[checks.RuleSpec], record_count: int | None,
                   timeout: int) -> list[checks.Finding] | None:
    """The findings from the table's kept verdicts (built first when they are not current), or
    None when they cannot be kept: the caller then evaluates the table."""
    from ckanext.datastore.backend.postgres import get_write_engine

    try:
        outcome = verdicts.check_table(get_write_engine(), resource_id, specs, record_count, timeout)
    except sa.exc.DBAPIError:
        log.exception("The quality verdicts of %s could not be built; the table is evaluated", resource_id)
        return None
    return outcome[0] if outcome is not None else None


def _add_result(run: Run, rule: Rule, checked: int, failed: int, error: str | None) -> None:
    model.Session.add(Result(
        run_id=run.id, rule_id=rule.id, package_id=run.package_id, organization_id=run.organization_id,
        resource_id=rule.resource_id, kind=rule.kind, dimension=rule.dimension, columns=list(rule.columns or ()),
        checked=checked, failed=failed, error=error,
    ))
