"""Hostile input for the security tests: strategies, the row counts that must not move, and
what a refusal has to look like (a 4xx naming the field, in Chinese and English)."""
from __future__ import annotations

import json
import re
from typing import Any

from ckan import model
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from sqlalchemy import text

# Reproducible and bounded: the whole tests/security folder runs in a few minutes on two cores.
FUZZ = settings(
    max_examples=10,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)



def examples(count: int) -> settings:
    """More examples for a test that spreads them over several actions."""
    return settings(FUZZ, max_examples=count)


SCRIPT = "<script>alert(1)</script>"
IMAGE_ONERROR = '"><img src=x onerror=alert(1)>'
INJECTIONS = [
    "' OR 1=1 --",
    '" OR ""="',
    "1; DROP TABLE package; --",
    "*:*",
    "{!func}",
    "{!lucene}id:*",
    "id:* OR *:*",
    '"unbalanced',
    "'unbalanced",
    "(((",
    "]]]",
    "[* TO *",
    "\\",
    "%_%",
    SCRIPT,
    IMAGE_ONERROR,
    "../../etc/passwd",
    "..%2f..%2fetc%2fpasswd",
    "javascript:alert(1)",
    "\u202egnp.exe",
    "𠜎😀\ufeff",
    "\x00",
    "NaN",
    "-1",
    "1e309",
    "",
    "   ",
]


def repeated(unit: str, times: int) -> str:
    """Oversize text; built by hypothesis so a failing example prints as ``repeated('x', 100000)``."""
    return unit * times


oversize = st.builds(repeated, st.sampled_from(["x", "数", "a,", "<b>"]), st.sampled_from([5_000, 100_000]))

scalars = st.one_of(
    st.sampled_from(INJECTIONS),
    st.text(max_size=40),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.none(),
)
# Any JSON value: the wrong type where a string is expected, and a string where a list or object is.
json_values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=8), inner, max_size=4)
), max_leaves=8)
hostile_values = st.one_of(json_values, oversize, st.sampled_from(INJECTIONS))


def row_counts() -> dict[str, int]:
    """Rows of every table of the CKAN database (core, datastore bookkeeping, govdata_*)."""
    session = model.Session
    names = session.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename")
    ).scalars().all()
    query = " UNION ALL ".join(f"SELECT '{name}', count(*) FROM \"{name}\"" for name in names)
    counts = dict(session.execute(text(query)).all())
    session.rollback()
    return counts


def changed_tables(before: dict[str, int], after: dict[str, int]) -> dict[str, tuple[int, int]]:
    return {name: (before.get(name, 0), after.get(name, 0)) for name in after if before.get(name, 0) != after.get(name, 0)}


CHINESE = re.compile(r"[\u4e00-\u9fff]")
LATIN = re.compile(r"[A-Za-z]{2,}")


def is_bilingual(message: str) -> bool:
    return bool(CHINESE.search(message)) and bool(LATIN.search(message))


def error_of(response: Any) -> dict[str, Any]:
    """The ``error`` object of an action API answer (empty when the body is not one)."""
    try:
        return json.loads(response.get_data(as_text=True)).get("error") or {}
    except (ValueError, AttributeError):
        return {}


def field_messages(error: dict[str, Any]) -> dict[str, list[str]]:
    """Field -> messages of a validation error, flattening nested lists and dicts."""

    def flatten(value: Any) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, dict):
            return [message for item in value.values() for message in flatten(item)]
        if isinstance(value, list):
            return [message for item in value for message in flatten(item)]
        return [str(value)]

    return {name: flatten(value) for name, value in error.items() if name not in ("__type", "message")}
