"""Every demo API answers with rows (on a test-sized part of the demo: the whole catalogue loads in
minutes, too long for the suite; README "Data API" gives the figures of a full load)."""
from __future__ import annotations

import dataclasses

import pytest
from ckan.tests.helpers import call_action

from ckanext.govdata import open_condition
from ckanext.govdata.dataapi import interface
from ckanext.govdata.demo import api_tables, catalogue, loader
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _part_of_demo(departments: int = 3) -> catalogue.Catalogue:
    """A few departments, one of which owns a datastore table, with their datasets and APIs."""
    demo = catalogue.build(catalogue.DEFAULT_SEED)
    owners = list(dict.fromkeys(package.owner_org for package in demo.packages if package.resource.datastore))
    no_served = [api.owner_org for api in demo.apis if not api.served_datasets]
    chosen = {owners[0], no_served[0], *owners[1:departments - 1]}
    datasets = [p for p in demo.datasets if p.owner_org in chosen]
    names = {p.name for p in datasets}
    apis = [p for p in demo.apis if p.owner_org in chosen and set(p.served_datasets) <= names]
    return dataclasses.replace(
        demo, departments=tuple(d for d in demo.departments if d.name in chosen), packages=tuple(datasets + apis)
    )


def test_the_plan_is_deterministic_and_covers_every_api_without_a_table():
    demo = catalogue.build(catalogue.DEFAULT_SEED)

    first, second = api_tables.plan(demo), api_tables.plan(demo)

    assert first == second
    with_table = {p.name for p in demo.datasets if p.resource.datastore}
    planned = {api for table in first for api in table.apis}
    for api in demo.apis:
        assert (api.name in planned) != any(name in with_table for name in api.served_datasets), api.name
    assert all(api_tables.ROWS[0] <= len(table.rows) <= api_tables.ROWS[1] for table in first)


def test_every_demo_api_answers_with_rows(app):
    part = _part_of_demo()
    loader.load_catalogue(part)
    created = api_tables.load(factories.site_context(), part)
    again = api_tables.load(factories.site_context(), part)
    sysadmin = factories.sysadmin()
    assert created == len(api_tables.plan(part)) and again == 0
    assert any(not api.served_datasets for api in part.apis)

    answered = 0
    for api in part.apis:
        served = interface.find(api.name)
        if served is None:
            # Not open, or serving a not-open dataset: never answers.
            condition = interface.stricter(api.open_condition, *(
                call_action("package_show", id=name)["open_condition"] for name in api.served_datasets
            ))
            assert condition == open_condition.NOT_OPEN, api.name
            app.get(f"/api/data/{api.name}", status=404)
            continue
        assert served.table is not None, api.name
        params = {}
        required = [parameter for parameter in served.parameters if parameter.required]
        if required:
            row = call_action("datastore_search", factories.site_context(), resource_id=served.table.resource_id,
                              limit=1)["records"][0]
            params = {parameter.name: str(row[parameter.column]) for parameter in required}
        anonymous = app.get(f"/api/data/{api.name}", query_string=params, status=None)
        if served.condition == open_condition.UNCONDITIONAL:
            assert anonymous.status_code == 200, (api.name, anonymous.json)
            body = anonymous.json
        else:
            assert anonymous.status_code == 401, api.name
            body = app.get(f"/api/data/{api.name}", query_string=params, headers={"Authorization": sysadmin["token"]}).json
        assert body["total"] > 0 and body["records"], api.name
        assert set(body["records"][0]) == {field.name for field in served.fields}
        answered += 1
    assert answered >= len(part.apis) - 2
