"""A pytest plugin for the conformance run of CKAN's search suites (test_ckan_conformance.py).

CKAN's factories draw titles and descriptions from Faker, whose words include "record", so
CKAN's own test_name_multiple_results (a search for "record" must find exactly two datasets)
failed now and then when a third dataset's random text held the word. A fixed seed makes the
run the same every time.
"""
from __future__ import annotations

from typing import Any

SEED = 2026


def pytest_runtest_setup(item: Any) -> None:
    from ckan.tests import factories

    factories.fake.seed_instance(SEED)
