"""The demo's quality checks: rules proposed from the data items of each datastore-backed
dataset, checked twice (a week ago and now), loaded once."""
from __future__ import annotations

import pytest
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.govdata.demo import quality as demo_quality
from ckanext.govdata.quality.model import Rule
from tests import factories
from tests.quality.test_checks import ROWS, text_table

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def test_the_demo_attaches_proposed_rules_and_checks_them_once():
    department = factories.department()
    dataset = factories.dataset(department["id"], record_count="4", data_items=[
        {"name": "credit_code", "name_zh": "统一社会信用代码", "type": "string", "key": "true"},
        {"name": "staff", "name_zh": "职工人数", "type": "integer"},
    ])
    text_table(dataset["id"], ROWS)
    factories.dataset(department["id"])

    demo_quality.load(factories.site_context())
    rules = model.Session.query(Rule).count()
    demo_quality.load(factories.site_context())

    assert rules == model.Session.query(Rule).count() == 5
    figures = call_action("govdata_quality_figures", factories.site_context())
    assert len(figures["trend"]) == 2
    assert figures["departments"][department["id"]]["pass_rate"] < 0.95
    result = call_action("govdata_quality_result_show", factories.site_context(), package_id=dataset["id"])
    assert {r["kind"] for r in result["results"]} == {"required", "unique", "format", "type", "record_count"}
