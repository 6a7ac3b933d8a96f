"""Searching the catalogue through CKAN: Chinese words, facets that equal the database, filters."""
from __future__ import annotations

import ckan.model as model
import pytest
from ckan.tests.helpers import call_action

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


@pytest.fixture
def catalogue():
    transport = factories.department(title="绍兴市交通运输局", department_code="JTJ")
    ecology = factories.department(title="绍兴市生态环境局", department_code="STHJJ")
    return {
        "bus": factories.dataset(transport["id"], title="2023年公交客运量统计数据"),
        "routes": factories.dataset(transport["id"], title="城市公交线路", open_condition="conditional"),
        "taxi": factories.dataset(transport["id"], title="出租车GPS轨迹", update_frequency="REAL_TIME"),
        "air": factories.dataset(
            ecology["id"], title="PM2.5空气质量监测", domain="environment", resource_library="theme-environment"
        ),
        "api": factories.dataservice(transport["id"], title="公交实时到站查询接口"),
        "transport": transport,
        "ecology": ecology,
    }


def _names(result):
    return [package["name"] for package in result["results"]]


def test_chinese_substring_word_finds_every_dataset_that_contains_it(catalogue):
    result = call_action("package_search", q="公交", fq="dataset_type:dataset")

    assert set(_names(result)) == {catalogue["bus"]["name"], catalogue["routes"]["name"]}


def test_an_api_users_own_edismax_query_may_still_name_fields(catalogue):
    # Typed text names no field (uf=-* inside our own query), but that is not a default of the
    # core: a developer's defType=edismax query keeps Solr's field syntax.
    result = call_action("package_search", q=f'name:"{catalogue["taxi"]["name"]}"', defType="edismax")

    assert _names(result) == [catalogue["taxi"]["name"]]


def test_longer_phrase_ranks_the_exact_dataset_first(catalogue):
    result = call_action("package_search", q="公交客运")

    # Datasets holding most of the query's bigrams match too (公交 and 客运 in a data item),
    # below the one whose title holds the phrase; one holding a single bigram does not.
    assert _names(result)[0] == catalogue["bus"]["name"]
    assert catalogue["taxi"]["name"] not in _names(result)


@pytest.mark.parametrize(("query", "expected"), [("pm2.5", "air"), ("PM2.5", "air"), ("GPS", "taxi"), ("2023年", "bus")])
def test_mixed_script_terms(catalogue, query, expected):
    result = call_action("package_search", q=query)

    assert catalogue[expected]["name"] in _names(result)


def test_facets_on_catalogue_fields_equal_database_counts(catalogue):
    result = call_action(
        "package_search",
        q="*:*",
        rows=0,
        **{"facet.field": ["domain", "organization", "open_condition", "update_frequency", "resource_library", "res_format"]},
    )

    facets = result["facets"]
    assert facets["domain"] == {"transport": 4, "environment": 1}
    assert facets["organization"] == {catalogue["transport"]["name"]: 4, catalogue["ecology"]["name"]: 1}
    assert facets["open_condition"] == {"unconditional": 4, "conditional": 1}
    assert facets["update_frequency"] == {"EVERY_MONTH": 4, "REAL_TIME": 1}
    assert facets["resource_library"] == {"theme-environment": 1}
    active = model.Session.query(model.Package).filter_by(state="active").count()
    assert result["count"] == active == 5


def test_filter_by_domain_and_type_and_department_code(catalogue):
    by_domain = call_action("package_search", fq="domain:environment")
    by_type = call_action("package_search", fq="dataset_type:dataservice")
    by_code = call_action("package_search", fq="department_code:STHJJ")

    assert _names(by_domain) == [catalogue["air"]["name"]]
    assert _names(by_type) == [catalogue["api"]["name"]]
    assert _names(by_code) == [catalogue["air"]["name"]]


def test_data_items_are_searchable_and_counted(catalogue):
    result = call_action("package_search", q="data_items_name:passengers", rows=100)
    counted = call_action("package_search", fq="data_item_count:2", rows=0)

    assert catalogue["bus"]["name"] in _names(result)
    assert counted["count"] == 5


def test_facet_items_carry_chinese_labels(catalogue):
    result = call_action("package_search", rows=0, **{"facet.field": ["domain", "open_condition"]})

    labels = {item["name"]: item["display_name"] for item in result["search_facets"]["domain"]["items"]}
    assert labels == {"transport": "交通运输", "environment": "生态环境"}


def test_malformed_query_is_a_409_not_a_500(app, catalogue):
    response = app.get("/api/3/action/package_search", query_string={"q": "title:(公交", "defType": "lucene"}, status=409)

    error = response.json["error"]
    assert error["__type"] == "Validation Error"
    assert error["q"] == ["检索语句无效：请检查括号、引号和字段名 / Search Query is invalid: check brackets, quotes and field names"]


def test_deleted_dataset_leaves_the_results(catalogue):
    call_action("package_delete", factories.site_context(), id=catalogue["taxi"]["id"])

    assert call_action("package_search", q="GPS")["count"] == 0
