"""The verdicts kept by the writes give the same findings as evaluating the whole table, after
every kind of write to the table and to the table it refers to; what the triggers cannot follow
makes them stale and they are built again; nobody but the datastore's writer can read them."""
from __future__ import annotations

from typing import Any

import pytest
import sqlalchemy as sa
from ckan.tests.helpers import call_action
from ckanext.datastore.backend.postgres import get_read_engine, get_write_engine

from ckanext.govdata.quality import checks, jobs, verdicts
from ckanext.govdata.quality.model import Rule
from tests import factories
from tests.quality.test_checks import tables

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

RULES = [
    ("required", ["credit_code"], {}),
    ("format", ["id_number"], {"format": "id_number"}),
    ("format", ["opened"], {"format": "date"}),
    ("type", ["staff"], {"type": "integer"}),
    ("code_list", ["district"], {"codes": ["越城区", "柯桥区", "上虞区"]}),
    # A pattern with the characters a literal must get right: quotes, percent, colon, backslash.
    ("pattern", ["licence"], {"pattern": "^(L[0-9]+|it's 100%:\\d)$"}),
    ("unique", ["licence"], {}),
    ("unique", ["district", "licence"], {}),
]


@pytest.fixture
def world() -> dict[str, Any]:
    made = tables("4", ["L1", "L2", " L2 "])
    dataset, table, licences = made["dataset"], made["table"], made["licences"]
    sysadmin = factories.sysadmin()
    for kind, columns, params in RULES:
        call_action("govdata_quality_rule_create", {"user": sysadmin["name"]}, package_id=dataset["id"],
                    kind=kind, columns=columns, **params)
    call_action("govdata_quality_rule_create", {"user": sysadmin["name"]}, package_id=dataset["id"],
                kind="reference", columns=["licence"], target_resource_id=licences["id"], target_column="licence")
    call_action("govdata_quality_rule_create", {"user": sysadmin["name"]}, package_id=dataset["id"],
                kind="record_count", columns=[])
    return {"dataset": dataset, "table": table["id"], "licences": licences["id"], "sysadmin": sysadmin["name"]}


def _specs(world: dict[str, Any]) -> list[checks.RuleSpec]:
    from ckan import model

    rules = model.Session.query(Rule).filter(Rule.package_id == world["dataset"]["id"]).order_by(Rule.created)
    return [jobs.spec(rule) for rule in rules]


def _kept(world: dict[str, Any]) -> tuple[list[checks.Finding], bool]:
    outcome = verdicts.check_table(get_write_engine(), world["table"], _specs(world), 4, 60)
    assert outcome is not None
    return outcome


def _evaluated(world: dict[str, Any]) -> list[checks.Finding]:
    return checks.run_table(get_read_engine(), world["table"], _specs(world), 4, 60)


def _insert(resource_id: str, records: list[dict[str, Any]]) -> None:
    call_action("datastore_upsert", factories.site_context(), resource_id=resource_id, method="insert",
                records=records, force=True)


def _delete(resource_id: str, filters: dict[str, Any]) -> None:
    call_action("datastore_delete", factories.site_context(), resource_id=resource_id, filters=filters, force=True)


def _sql(statement: str) -> None:
    with get_write_engine().begin() as connection:
        connection.execute(sa.text(statement))


def _assert_kept_equals_evaluated(world: dict[str, Any], built: bool) -> list[checks.Finding]:
    kept, was_built = _kept(world)
    assert kept == _evaluated(world)
    assert was_built is built
    return kept


def test_every_write_keeps_the_verdicts_equal_to_an_evaluation(world):
    first = _assert_kept_equals_evaluated(world, built=True)
    assert sum(finding.failed for finding in first) > 0
    _assert_kept_equals_evaluated(world, built=False)

    # Rows arriving: failing rows, a key twice, a key the registry lacks, a key it has.
    _insert(world["table"], [
        {"credit_code": "", "id_number": "110105194912310021", "opened": "2026-13-01", "staff": "x",
         "district": "火星区", "licence": "L9"},
        {"credit_code": "91350100M000100Y43", "district": "越城区", "licence": "L1"},
        {"credit_code": "91350100M000100Y43", "district": "越城区", "licence": "it's 100%:7"},
    ])
    _assert_kept_equals_evaluated(world, built=False)
    # Rows leaving, and rows changed in place.
    _delete(world["table"], {"licence": "L2"})
    _assert_kept_equals_evaluated(world, built=False)
    _sql(f'UPDATE "{world["table"]}" SET licence = \'L2\', staff = \'7\' WHERE licence = \'L1\'')
    _assert_kept_equals_evaluated(world, built=False)
    # The referenced table gains a key the table uses, then loses ones it uses.
    _insert(world["licences"], [{"licence": "L9"}, {"licence": "L9"}])
    _assert_kept_equals_evaluated(world, built=False)
    _delete(world["licences"], {"licence": "L9"})
    _assert_kept_equals_evaluated(world, built=False)
    _sql(f'DELETE FROM "{world["licences"]}" WHERE licence = \'L2\'')
    after = _assert_kept_equals_evaluated(world, built=False)
    assert after != first


def test_what_the_triggers_cannot_follow_builds_them_again(world):
    _assert_kept_equals_evaluated(world, built=True)
    _sql(f'TRUNCATE "{world["licences"]}"')
    _assert_kept_equals_evaluated(world, built=True)

    # An error in the upkeep does not fail the write: the verdicts go stale.
    key = verdicts.plan(world["table"], _specs(world)).key
    _sql(f'DROP TABLE govdata_quality."q_{key}_u0"')
    _insert(world["table"], [{"credit_code": "", "licence": "L1"}])
    with get_write_engine().connect() as connection:
        assert connection.execute(sa.text("SELECT stale FROM govdata_quality.state WHERE resource_id = :id"),
                                  {"id": world["table"]}).scalar() is True
    _assert_kept_equals_evaluated(world, built=True)

    # A rule added, a column's type changed: a different signature.
    call_action("govdata_quality_rule_create", {"user": world["sysadmin"]}, package_id=world["dataset"]["id"],
                kind="required", columns=["phone"])
    _assert_kept_equals_evaluated(world, built=True)
    _sql(f'ALTER TABLE "{world["table"]}" ALTER COLUMN staff TYPE varchar(20)')
    _assert_kept_equals_evaluated(world, built=True)


def test_the_check_job_reads_the_verdicts(world):
    run = call_action("govdata_quality_check", {"ignore_auth": True}, package_id=world["dataset"]["id"])
    jobs.run_checks(run["id"])
    _insert(world["table"], [{"credit_code": "", "licence": "L404"}])
    run = call_action("govdata_quality_check", {"ignore_auth": True}, package_id=world["dataset"]["id"])
    jobs.run_checks(run["id"])

    results = call_action("govdata_quality_result_show", {"ignore_auth": True}, package_id=world["dataset"]["id"])
    failed = {(r["kind"], tuple(r["columns"])): r["failed"] for r in results["results"]}
    evaluated = {finding.rule_id: finding.failed for finding in _evaluated(world)}
    assert sorted(failed.values()) == sorted(evaluated.values())
    with get_write_engine().connect() as connection:
        assert connection.execute(sa.text("SELECT NOT stale FROM govdata_quality.state WHERE resource_id = :id"),
                                  {"id": world["table"]}).scalar() is True


def test_a_pattern_that_would_close_its_quote_stays_a_pattern(world):
    """Built and kept with standard_conforming_strings off in the session: the literal still ends
    where it should, so the rest of the pattern is never run as SQL."""
    call_action("govdata_quality_rule_create", {"user": world["sysadmin"]}, package_id=world["dataset"]["id"],
                kind="pattern", columns=["phone"], pattern="^a\\'(b); (--)$")
    engine = get_write_engine()
    with engine.begin() as connection:
        connection.execute(sa.text("SET LOCAL standard_conforming_strings = off"))
        plan = verdicts.plan(world["table"], _specs(world))
        verdicts.build(connection, plan)
        kept = verdicts.findings(connection, plan, _specs(world), 4)
    assert kept == _evaluated(world)
    _insert(world["table"], [{"phone": "a'b; --"}, {"phone": "a\\'b; --"}])
    assert _kept(world) == (_evaluated(world), False)


def test_the_read_only_role_cannot_read_the_verdicts(world):
    _kept(world)
    key = verdicts.plan(world["table"], _specs(world)).key
    for table in ("state", f"q_{key}_v", f"q_{key}_r0"):
        with get_read_engine().connect() as connection, pytest.raises(sa.exc.ProgrammingError, match="permission denied"):
            connection.execute(sa.text(f'SELECT * FROM govdata_quality."{table}"'))


def test_deleting_the_last_rule_drops_the_verdicts_and_their_triggers(world):
    _kept(world)
    names = [f"q\\_{verdicts.plan(world['table'], _specs(world)).key}%", f"t\\_{verdicts._hash(world['licences'])}%"]
    with get_write_engine().connect() as connection:
        before = connection.execute(sa.text(
            "SELECT count(*) FROM pg_class WHERE relnamespace = 'govdata_quality'::regnamespace AND relkind = 'r' "
            "AND relname LIKE ANY(:names)"), {"names": names}).scalar()
    assert before == 5  # the row verdicts, two unique keys, the reference's keys, the other table's keys

    for rule in _specs(world):
        call_action("govdata_quality_rule_delete", {"ignore_auth": True}, id=rule.id)
    with get_write_engine().connect() as connection:
        left = connection.execute(sa.text(
            "SELECT count(*) FROM pg_class WHERE relnamespace = 'govdata_quality'::regnamespace AND relkind = 'r' "
            "AND relname LIKE ANY(:names)"), {"names": names}).scalar()
        triggers = connection.execute(sa.text(
            "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'govdata_quality%' AND tgrelid IN (to_regclass(:a), to_regclass(:b))"
        ), {"a": f'"{world["table"]}"', "b": f'"{world["licences"]}"'}).scalar()
    assert (left, triggers) == (0, 0)
