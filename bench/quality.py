"""How long do all the quality checks of a dataset take on a 1-million-row datastore table?

One table of --rows rows (default 1,000,000) with the columns a department's register has (a
unified social credit code, an ID number, a phone, a date, a number, a district, a licence
number) and a small table of licences it refers to, written with SQL into a datastore database.
Every rule kind is attached (eleven rules: required, type, the five formats, pattern, code list,
unique key, reference to the other table, record count), and the checks run exactly as the job
runs them (``checks.run_table``: one query). The baseline is one ``SELECT count(*)`` of the same
table in the same run. Medians of --rounds runs each, alternated. Target: checks / count(*) <= 10.

Most values are valid (nine rows in ten), so that the check-digit expressions are computed, not
cut short by the pattern.

    .venv/bin/python bench/quality.py --url postgresql://ckan:ckan@127.0.0.1:5432/govdata_datastore_test_quality

The tables (``bench_quality``, ``bench_quality_licences``) are dropped at the end.
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import time

import sqlalchemy as sa

from ckanext.govdata.quality import checks, verdicts
from ckanext.govdata.quality.checks import RuleSpec
from ckanext.govdata.quality.kinds import CREDIT_ALPHABET, CREDIT_WEIGHTS, ID_CHECKS, ID_WEIGHTS

TABLE, LICENCES, PLAIN = "bench_quality", "bench_quality_licences", "bench_quality_plain"
DISTRICTS = ["越城区", "柯桥区", "上虞区", "诸暨市", "嵊州市", "新昌县"]


def _credit_code(random_: random.Random) -> str:
    body = "91" + "330602" + "".join(random_.choice(CREDIT_ALPHABET) for _ in range(9))
    total = sum(CREDIT_ALPHABET.index(c) * w for c, w in zip(body, CREDIT_WEIGHTS, strict=False))
    return body + CREDIT_ALPHABET[(31 - total % 31) % 31]


def _id_number(random_: random.Random) -> str:
    body = f"330602{random_.randint(1950, 2005)}{random_.randint(1, 12):02d}{random_.randint(1, 28):02d}{random_.randint(0, 999):03d}"
    return body + ID_CHECKS[sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True)) % 11]


def _seed(engine: sa.engine.Engine, rows: int) -> None:
    random_ = random.Random(15)
    codes = [_credit_code(random_) for _ in range(1000)] + ["91330602MA2BC0JX1X"] * 111
    ids = [_id_number(random_) for _ in range(1000)] + ["330602199002300011"] * 111
    with engine.begin() as connection:
        connection.execute(sa.text(f'DROP TABLE IF EXISTS "{TABLE}", "{LICENCES}"'))
        connection.execute(sa.text(f'CREATE TABLE "{LICENCES}" (_id serial PRIMARY KEY, licence text)'))
        connection.execute(sa.text(
            f"INSERT INTO \"{LICENCES}\" (licence) SELECT 'L' || n FROM generate_series(1, :rows) AS n"
        ), {"rows": rows - rows // 100})
        connection.execute(sa.text(
            f'CREATE TABLE "{TABLE}" (_id serial PRIMARY KEY, credit_code text, id_number text, phone text, '
            "opened text, staff text, district text, licence text, email text, postcode text)"
        ))
        connection.execute(sa.text(f"""
            INSERT INTO "{TABLE}" (credit_code, id_number, phone, opened, staff, district, licence, email, postcode)
            SELECT (:codes)[1 + n % 1111], (:ids)[1 + n % 1111],
                   CASE WHEN n % 10 = 0 THEN '12345' ELSE '138' || lpad((n % 100000000)::text, 8, '0') END,
                   CASE WHEN n % 10 = 0 THEN '2026-02-30' ELSE to_char(date '2020-01-01' + n % 2000, 'YYYY-MM-DD') END,
                   CASE WHEN n % 10 = 0 THEN '十二' ELSE (n % 500)::text END,
                   (:districts)[1 + n % 7],
                   'L' || CASE WHEN n % 1000 = 0 THEN n - 1 ELSE n END,
                   'user' || n || '@example.cn', '312000'
            FROM generate_series(1, :rows) AS n
        """), {"codes": codes, "ids": ids, "districts": [*DISTRICTS, "火星区"], "rows": rows})
        connection.execute(sa.text(f'ANALYZE "{TABLE}"; ANALYZE "{LICENCES}"'))


def _rules() -> list[RuleSpec]:
    return [
        RuleSpec("required", "required", ("credit_code",), {}),
        RuleSpec("type", "type", ("staff",), {"type": "integer"}),
        RuleSpec("credit", "format", ("credit_code",), {"format": "credit_code"}),
        RuleSpec("id", "format", ("id_number",), {"format": "id_number"}),
        RuleSpec("phone", "format", ("phone",), {"format": "phone"}),
        RuleSpec("date", "format", ("opened",), {"format": "date"}),
        RuleSpec("email", "format", ("email",), {"format": "email"}),
        RuleSpec("pattern", "pattern", ("postcode",), {"pattern": "^31[0-9]{4}$"}),
        RuleSpec("codes", "code_list", ("district",), {"codes": DISTRICTS}),
        RuleSpec("unique", "unique", ("licence",), {}),
        RuleSpec("reference", "reference", ("licence",), {"resource_id": LICENCES, "column": "licence"}),
        RuleSpec("count", "record_count", (), {}),
    ]


def _median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def _writes(engine: sa.engine.Engine, table: str, rows: int, rounds: int) -> list[float]:
    """Time to insert ``rows`` rows in one statement and delete them again, ``rounds`` times."""
    samples = []
    for round_ in range(rounds):
        started = time.perf_counter()
        with engine.begin() as connection:
            connection.execute(sa.text(f"""
                INSERT INTO "{table}" (credit_code, id_number, phone, opened, staff, district, licence, email, postcode)
                SELECT credit_code, id_number, phone, opened, staff, district, 'W' || n, email, postcode
                FROM "{TABLE}" JOIN generate_series(1, :rows) AS n ON _id = n + :offset
            """), {"rows": rows, "offset": round_ * rows})
            connection.execute(sa.text(f"DELETE FROM \"{table}\" WHERE licence LIKE 'W%'"))
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--url", default=os.environ.get("CKAN_DATASTORE_WRITE_URL"), help="a datastore database")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--write-rows", type=int, default=10_000, help="rows a write of the write overhead inserts")
    options = parser.parse_args()
    engine = sa.create_engine(options.url)
    started = time.perf_counter()
    _seed(engine, options.rows)
    print(f"seeded {options.rows:,} rows in {time.perf_counter() - started:.0f} s")
    rules = _rules()
    plan = verdicts.plan(TABLE, rules)
    assert plan is not None
    baseline, evaluated, kept = [], [], []
    try:
        with engine.begin() as connection:
            connection.execute(sa.text(f'CREATE TABLE "{PLAIN}" (LIKE "{TABLE}" INCLUDING ALL)'))
        _writes(engine, PLAIN, options.write_rows, 1)  # warm-up, not counted
        started = time.perf_counter()
        with engine.begin() as connection:
            verdicts.build(connection, plan)
        build_s = time.perf_counter() - started
        for _ in range(options.rounds):
            started = time.perf_counter()
            with engine.connect() as connection:
                connection.execute(sa.text(f'SELECT count(*) FROM "{TABLE}"')).scalar()
            baseline.append(time.perf_counter() - started)
            started = time.perf_counter()
            outcome = verdicts.check_table(engine, TABLE, rules, options.rows, 3600)
            kept.append(time.perf_counter() - started)
            assert outcome is not None and not outcome[1], "the verdicts were built again"
            started = time.perf_counter()
            findings = checks.run_table(engine, TABLE, rules, options.rows, 3600)
            evaluated.append(time.perf_counter() - started)
        assert outcome[0] == findings, "kept verdicts and evaluation disagree"
        for finding in findings:
            print(f"  {finding.rule_id:<10} checked {finding.checked:>9,}  failed {finding.failed:>9,}")
        count_ms, kept_ms, evaluated_ms = _median_ms(baseline), _median_ms(kept), _median_ms(evaluated)
        print(f"count(*):                          {count_ms:8.0f} ms (median of {options.rounds})")
        print(f"all {len(rules)} rules, evaluated:         {evaluated_ms:8.0f} ms  ({evaluated_ms / count_ms:6.1f}x count)")
        print(f"all {len(rules)} rules, kept verdicts:     {kept_ms:8.0f} ms  ({kept_ms / count_ms:6.1f}x count, target <= 10x)")
        print(f"building the verdicts (once):      {build_s * 1000:8.0f} ms  ({build_s * 1000 / evaluated_ms:6.1f}x an evaluation)")
        with_triggers, plain_writes = [], []
        for _ in range(options.rounds):
            with_triggers += _writes(engine, TABLE, options.write_rows, 1)
            plain_writes += _writes(engine, PLAIN, options.write_rows, 1)
        kept_after = verdicts.check_table(engine, TABLE, rules, options.rows, 3600)
        assert kept_after is not None and not kept_after[1] and kept_after[0] == checks.run_table(
            engine, TABLE, rules, options.rows, 3600), "the writes left the verdicts wrong"
        plain_ms, triggers_ms = _median_ms(plain_writes), _median_ms(with_triggers)
        print(f"insert + delete {options.write_rows:,} rows, no rules:  {plain_ms:8.0f} ms")
        print(f"insert + delete {options.write_rows:,} rows, kept:      {triggers_ms:8.0f} ms  ({triggers_ms / plain_ms:6.1f}x)")
        print("after the writes, kept verdicts = evaluation: yes")
    finally:
        verdicts.drop(engine, TABLE)
        with engine.begin() as connection:
            connection.execute(sa.text(f'DROP TABLE IF EXISTS "{TABLE}", "{LICENCES}", "{PLAIN}"'))


if __name__ == "__main__":
    main()
