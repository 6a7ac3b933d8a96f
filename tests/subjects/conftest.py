"""The fixtures of the data-subject tests: a city with data about people and enterprises, and the
development identity provider's log (``codes``, in tests/conftest.py)."""
from __future__ import annotations

from typing import Any

import pytest

from tests import factories
from tests.subjects.world import OTHER_PERSON, PERSON, person_dataset


@pytest.fixture
def city() -> dict[str, Any]:
    department = factories.department()
    other_department = factories.department()
    social = person_dataset(department["id"])
    housing = person_dataset(department["id"], title="公积金缴存记录", rows=[
        {"id_number": PERSON, "name": "张三", "amount": 5},
        {"id_number": OTHER_PERSON, "name": "李四", "amount": 6},
    ])
    closed = person_dataset(department["id"], condition="not-open", title="不予开放的记录")
    return {
        "department": department,
        "social": social,
        "housing": housing,
        "closed": closed,
        "enterprise_data": factories.conditional_dataset(other_department["id"]),
        "person": factories.user(email="zhangsan@example.com"),
        "other_person": factories.user(),
        "third_party": factories.user(),
        "outsider": factories.user(),
        "editor": factories.member(department["id"], "editor"),
        "other_staff": factories.member(other_department["id"], "editor"),
        "sysadmin": factories.sysadmin(),
    }
