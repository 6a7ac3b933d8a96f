"""Each rule kind, checked as SQL on a real datastore table, finds exactly the rows it should;
results, pass rates and figures follow; the job is queued by the action and by data changes."""
from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from ckan.lib import jobs as ckan_jobs
from ckan.tests.helpers import call_action

from ckanext.govdata.quality import jobs
from ckanext.govdata.validators import rules as python_rules
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

# Row i (1-based, the datastore's _id) and what is wrong with it.
ROWS = [
    {"credit_code": "91350100M000100Y43", "id_number": "11010519491231002X", "phone": "13812345678",
     "opened": "2026-02-28", "staff": "12", "district": "越城区", "licence": "L1"},
    {"credit_code": "91350100M000100Y44", "id_number": "110105194912310021", "phone": "1381234567",
     "opened": "2026-02-30", "staff": "十二", "district": "火星区", "licence": "L2"},
    {"credit_code": "", "id_number": None, "phone": "0575-88888888",
     "opened": None, "staff": "", "district": None, "licence": "L2"},
    {"credit_code": "91110000600037341L", "id_number": "110105194912310030", "phone": "021-1234567",
     "opened": "2024-02-29", "staff": "3.5", "district": "柯桥区", "licence": "L9"},
]


def text_table(package_id: str, records: list[dict[str, Any]]) -> dict[str, Any]:
    """A datastore table of text columns (the datastore would guess numbers from the first row)."""
    names = list(dict.fromkeys(name for record in records for name in record))
    created = call_action("datastore_create", factories.site_context(), force=True, records=records,
                          resource={"package_id": package_id, "name": "数据表", "format": "CSV"},
                          fields=[{"id": name, "type": "text"} for name in names])
    return call_action("resource_show", factories.site_context(), id=created["resource_id"])


def tables(record_count: str, licences: list[str]) -> dict[str, Any]:
    """A department's dataset holding ROWS (its metadata giving ``record_count``) and a registry
    table of ``licences`` for reference rules."""
    department = factories.department()
    dataset = factories.dataset(department["id"], record_count=record_count)
    table = text_table(dataset["id"], records=ROWS)
    registry = factories.dataset(department["id"])
    registered = text_table(registry["id"], records=[{"licence": licence} for licence in licences])
    return {"department": department, "dataset": dataset, "table": table, "licences": registered}


@pytest.fixture
def world() -> dict[str, Any]:
    return {**tables("5", ["L1", "L2"]), "sysadmin": factories.sysadmin()}


def _rule(world: dict[str, Any], kind: str, columns: list[str], **params: Any) -> dict[str, Any]:
    return call_action("govdata_quality_rule_create", {"user": world["sysadmin"]["name"]},
                       package_id=world["dataset"]["id"], kind=kind, columns=columns, **params)


def _failing_ids(world: dict[str, Any], rule: dict[str, Any]) -> list[int]:
    found = call_action("govdata_quality_failing_rows", {"user": world["sysadmin"]["name"]}, rule_id=rule["id"])
    return [row[found["columns"].index("_id")] for row in found["rows"]]


def _check(world: dict[str, Any]) -> dict[str, Any]:
    run = call_action("govdata_quality_check", {"user": world["sysadmin"]["name"]}, package_id=world["dataset"]["id"])
    jobs.run_checks(run["id"])
    return call_action("govdata_quality_result_show", {"user": world["sysadmin"]["name"]},
                       package_id=world["dataset"]["id"])


CASES = [
    ("required", ["credit_code"], {}, [3]),
    ("format", ["credit_code"], {"format": "credit_code"}, [2]),
    ("format", ["id_number"], {"format": "id_number"}, [2, 4]),
    ("format", ["phone"], {"format": "phone"}, [2]),
    ("format", ["opened"], {"format": "date"}, [2]),
    ("type", ["staff"], {"type": "integer"}, [2, 4]),
    ("type", ["staff"], {"type": "decimal"}, [2]),
    ("pattern", ["licence"], {"pattern": "^L[0-2]$"}, [4]),
    ("code_list", ["district"], {"codes": ["越城区", "柯桥区", "上虞区"]}, [2]),
    ("unique", ["licence"], {}, [2, 3]),
]


@pytest.mark.parametrize(("kind", "columns", "params", "bad"), CASES)
def test_each_rule_kind_finds_exactly_the_bad_rows(world, kind, columns, params, bad):
    rule = _rule(world, kind, columns, **params)
    result = _check(world)

    found = next(r for r in result["results"] if r["rule_id"] == rule["id"])
    assert (found["checked"], found["failed"]) == (len(ROWS), len(bad))
    assert _failing_ids(world, rule) == bad


def test_a_key_must_be_found_in_another_datasets_table(world):
    rule = _rule(world, "reference", ["licence"], target_resource_id=world["licences"]["id"], target_column="licence")
    _check(world)

    assert _failing_ids(world, rule) == [4]


def test_the_record_count_of_the_metadata_must_equal_the_rows(world):
    rule = _rule(world, "record_count", [])
    result = _check(world)

    found = next(r for r in result["results"] if r["rule_id"] == rule["id"])
    assert (found["checked"], found["failed"]) == (5, 1)
    call_action("package_patch", factories.site_context(), id=world["dataset"]["id"], record_count="4")
    result = _check(world)
    assert next(r for r in result["results"] if r["rule_id"] == rule["id"])["failed"] == 0


def test_the_check_digits_agree_with_the_python_validators(world):
    """The SQL check digits against the validators' own (GB 32100, GB 11643), value by value."""
    codes = ["91350100M000100Y43", "91110000600037341L", "91330600MA2BC0JX1X", "91350100M000100Y44",
             "9135010OM000100Y43", "91110000600037341l"]
    ids = ["11010519491231002X", "110105194912310021", "11010519491231002x", "110105194902300025", "110105194912310030"]
    dataset = factories.dataset(world["department"]["id"])
    records = [{"credit_code": code, "id_number": number} for code, number in zip(codes, [*ids, ""], strict=True)]
    table = text_table(dataset["id"], records=records)
    admin = {"user": world["sysadmin"]["name"]}
    credit = call_action("govdata_quality_rule_create", admin, package_id=dataset["id"], resource_id=table["id"],
                         kind="format", columns=["credit_code"], format="credit_code")
    identity = call_action("govdata_quality_rule_create", admin, package_id=dataset["id"], resource_id=table["id"],
                           kind="format", columns=["id_number"], format="id_number")

    def failing(rule: dict[str, Any]) -> set[int]:
        found = call_action("govdata_quality_failing_rows", admin, rule_id=rule["id"])
        return {row[0] for row in found["rows"]}

    expected_credit = {i for i, code in enumerate(codes, 1) if not python_rules.is_credit_code(code)}
    expected_ids = {i for i, number in enumerate(ids, 1) if not python_rules.is_id_number(number.upper())}
    assert failing(credit) == expected_credit and expected_credit
    assert failing(identity) == expected_ids and expected_ids


DATES = ["2024-02-29", "2023-02-29", "1900-02-29", "2000-02-29", "2026-04-31", "2026-04-30", "2026-12-31",
         "0999-01-01", "1000-01-01", "2026-13-01", "2026-00-10", "2026-01-00", "2026-01-32", "2026-1-01",
         "２０２６-01-01", "2026/01/01", " 2026-01-02 ", "20260101", "2026-01-0a", "-2026-01-0", "2026-01-01T"]


def _is_date(value: str) -> bool:
    value = value.strip()
    try:
        parsed = dt.date.fromisoformat(value)
    except ValueError:
        return False
    return value.isascii() and len(value) == 10 and parsed.year >= 1000


def test_the_calendar_agrees_with_pythons(world):
    """The SQL date rule against Python's calendar, value by value: leap years, month lengths,
    the format's separators and digits."""
    dataset = factories.dataset(world["department"]["id"])
    table = text_table(dataset["id"], records=[{"opened": value} for value in DATES])
    admin = {"user": world["sysadmin"]["name"]}
    rule = call_action("govdata_quality_rule_create", admin, package_id=dataset["id"], resource_id=table["id"],
                       kind="format", columns=["opened"], format="date")

    found = call_action("govdata_quality_failing_rows", admin, rule_id=rule["id"])

    assert {row[0] for row in found["rows"]} == {i for i, value in enumerate(DATES, 1) if not _is_date(value)}
    assert sum(_is_date(value) for value in DATES) == 6


def test_all_rules_of_a_table_give_pass_rates_per_dimension(world):
    for kind, columns, params, _bad in CASES:
        _rule(world, kind, columns, **params)
    result = _check(world)

    failed = sum(len(bad) for *_rest, bad in CASES)
    checked = len(CASES) * len(ROWS)
    assert result["pass_rate"] == round((checked - failed) / checked, 4)
    assert set(result["dimensions"]) == {"completeness", "normativity", "accuracy", "consistency", "uniqueness"}
    assert result["dimensions"]["uniqueness"] == {"checked": 4, "failed": 2, "pass_rate": 0.5}

    figures = call_action("govdata_quality_figures", {"user": world["sysadmin"]["name"]})
    department = figures["departments"][world["department"]["id"]]
    assert department["pass_rate"] == result["pass_rate"] and department["meets_target"] is False
    assert figures["target"] == 0.95
    assert figures["datasets"][world["dataset"]["id"]]["checked"] == checked
    assert [day["pass_rate"] for day in figures["trend"]] == [result["pass_rate"]]
    # The monitoring page's report shows the department's pass rate.
    [row] = call_action("govdata_department_report", {"user": world["sysadmin"]["name"]},
                        id=world["department"]["id"])["departments"]
    assert row["quality_pass_rate"] == result["pass_rate"]


def test_a_clean_table_passes(world):
    dataset = factories.dataset(world["department"]["id"])
    table = text_table(dataset["id"], records=[ROWS[0]])
    call_action("govdata_quality_rule_create", {"user": world["sysadmin"]["name"]}, package_id=dataset["id"],
                resource_id=table["id"], kind="format", columns=["credit_code"], format="credit_code")
    run = call_action("govdata_quality_check", {"user": world["sysadmin"]["name"]}, package_id=dataset["id"])
    jobs.run_checks(run["id"])
    result = call_action("govdata_quality_result_show", {"user": world["sysadmin"]["name"]}, package_id=dataset["id"])

    assert result["pass_rate"] == 1.0 and result["run"]["state"] == "done"


def test_the_check_action_and_a_data_change_queue_a_job(world):
    _rule(world, "required", ["credit_code"])
    queue = ckan_jobs.get_queue()
    queue.empty()

    call_action("govdata_quality_check", {"user": world["sysadmin"]["name"]}, package_id=world["dataset"]["id"])
    call_action("datastore_upsert", factories.site_context(), resource_id=world["table"]["id"], method="insert",
                records=[{"credit_code": "", "licence": "L5"}], force=True)

    queued = [job.args[0] for job in queue.jobs if job.func_name.endswith("run_checks")]
    assert len(queued) == 2
    jobs.run_checks(queued[-1])
    result = call_action("govdata_quality_result_show", {"user": world["sysadmin"]["name"]},
                         package_id=world["dataset"]["id"])
    assert result["run"]["trigger"] == "data_change" and result["results"][0]["failed"] == 2
    queue.empty()


def test_proposals_come_from_the_data_items(world):
    call_action("package_patch", factories.site_context(), id=world["dataset"]["id"], data_items=[
        {"name": "credit_code", "name_zh": "统一社会信用代码", "type": "string", "key": "true"},
        {"name": "staff", "name_zh": "职工人数", "type": "integer"},
        {"name": "phone", "name_zh": "联系电话", "type": "string"},
    ])
    proposals = call_action("govdata_quality_rules_propose", {"user": world["sysadmin"]["name"]},
                            package_id=world["dataset"]["id"])

    found = {(p["kind"], tuple(p["columns"]), p.get("type") or p.get("format")) for p in proposals}
    assert found == {
        ("required", ("credit_code",), None), ("unique", ("credit_code",), None),
        ("format", ("credit_code",), "credit_code"), ("type", ("staff",), "integer"),
        ("format", ("phone",), "phone"), ("record_count", (), None),
    }
    wanted = next(p for p in proposals if p["kind"] == "type")
    call_action("govdata_quality_rule_create", {"user": world["sysadmin"]["name"]}, **wanted)
    again = call_action("govdata_quality_rules_propose", {"user": world["sysadmin"]["name"]},
                        package_id=world["dataset"]["id"])
    assert len(again) == len(proposals) - 1


@pytest.mark.parametrize(("fields", "refused"), [
    ({"kind": "pattern", "columns": ["licence"], "pattern": "(["}, "pattern"),
    ({"kind": "format", "columns": ["licence"]}, "format"),
    ({"kind": "required", "columns": ['licence"; DROP TABLE x; --']}, "columns"),
    ({"kind": "required", "columns": []}, "columns"),
    ({"kind": "nonsense", "columns": ["licence"]}, "kind"),
    ({"kind": "code_list", "columns": ["licence"], "codes": []}, "codes"),
])
def test_bad_rules_are_refused_naming_the_field(world, fields, refused):
    with pytest.raises(Exception) as error:
        call_action("govdata_quality_rule_create", {"user": world["sysadmin"]["name"]},
                    package_id=world["dataset"]["id"], **fields)

    assert list(error.value.error_dict) == [refused]
    assert " / " in error.value.error_dict[refused][0]


def test_a_hostile_column_name_is_quoted_not_run(world):
    """A real column whose name holds quotes, a colon and SQL is checked as a name."""
    dataset = factories.dataset(world["department"]["id"])
    name = "x'); DROP TABLE t; --"
    table = text_table(dataset["id"], records=[{name: ""}, {name: "a"}])
    rule = call_action("govdata_quality_rule_create", {"user": world["sysadmin"]["name"]}, package_id=dataset["id"],
                       resource_id=table["id"], kind="required", columns=[name])

    found = call_action("govdata_quality_failing_rows", {"user": world["sysadmin"]["name"]}, rule_id=rule["id"])
    assert [row[0] for row in found["rows"]] == [1]
