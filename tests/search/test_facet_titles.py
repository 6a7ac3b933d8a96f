"""Department and group facets are titled by search/facet_titles.py as CKAN titles them, without
CKAN's ORM query, and always with the title the database holds now."""
from __future__ import annotations

import json

import ckan.model as model
import pytest
import sqlalchemy as sa
from ckan.lib import search
from ckan.tests.helpers import call_action

from ckanext.govdata.search import facet_titles
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

FACETS = json.dumps(["domain", "organization", "groups", "open_condition"])


@pytest.fixture
def catalogue():
    transport = factories.department(title="绍兴市交通运输局")
    ecology = factories.department(title="绍兴市生态环境局")
    untitled = factories.department(title="待命名部门")
    group = call_action("group_create", factories.site_context(), name="city-transport", title="城市交通专题")
    factories.dataset(transport["id"], title="公交线路信息", groups=[{"name": group["name"]}])
    factories.dataset(transport["id"], title="公交站点信息")
    factories.dataset(ecology["id"], title="公交车辆排放信息", domain="environment", groups=[{"name": group["name"]}])
    factories.dataset(untitled["id"], title="公交出行调查信息")
    # CKAN names a department by its name when its title is blank.
    model.Session.execute(sa.text('UPDATE "group" SET title = \'  \' WHERE id = :id'), {"id": untitled["id"]})
    model.Session.commit()
    return {"transport": transport, "ecology": ecology, "untitled": untitled, "group": group}


def _search(**params):
    return call_action("package_search", q="公交", **{"facet.field": FACETS, **params})


def test_the_facets_equal_ckans_own(catalogue, monkeypatch):
    ours = _search()
    monkeypatch.setattr(facet_titles, "expect", lambda search_params: search_params)
    ckans = _search()

    assert ours == ckans
    assert list(ours["search_facets"]) == list(ours["facets"]) == ["domain", "organization", "groups", "open_condition"]
    titled = {item["name"]: item["display_name"] for item in ours["search_facets"]["organization"]["items"]}
    assert titled == {
        catalogue["transport"]["name"]: "绍兴市交通运输局",
        catalogue["ecology"]["name"]: "绍兴市生态环境局",
        catalogue["untitled"]["name"]: catalogue["untitled"]["name"],
    }
    assert ours["search_facets"]["groups"]["items"] == [{"name": "city-transport", "display_name": "城市交通专题", "count": 2}]
    assert ours["search_facets"]["organization"]["title"] == "organization"


def test_ckans_title_query_is_not_run(catalogue):
    statements: list[str] = []

    def record(_connection, _cursor, statement, *_args):
        statements.append(statement)

    sa.event.listen(model.meta.engine, "before_cursor_execute", record)
    try:
        _search()
    finally:
        sa.event.remove(model.meta.engine, "before_cursor_execute", record)

    titles = [statement for statement in statements if 'FROM "group"' in statement]
    assert len(titles) == 1 and "ANY(" in titles[0], titles


def test_a_renamed_department_is_titled_anew_at_once(catalogue):
    call_action("organization_patch", factories.site_context(), id=catalogue["transport"]["id"], title="绍兴市交通局")

    items = _search()["search_facets"]["organization"]["items"]
    assert {item["display_name"] for item in items} >= {"绍兴市交通局"}
    assert "绍兴市交通运输局" not in {item["display_name"] for item in items}


def test_other_callers_of_the_query_see_the_facets_under_their_own_keys(catalogue):
    _search()
    query = search.query_for(model.Package)
    query.run({"q": "公交", "facet.field": ["organization", "groups"], "rows": 0})

    assert set(query.facets) == {"organization", "groups"}
