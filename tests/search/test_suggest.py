"""Search suggestions (govdata_search_suggest): titles and department names as people type,
never a title the caller cannot find by search, asked from outside through the action API."""
from __future__ import annotations

import types
from typing import Any

import pysolr
import pytest
from ckan.cli.cli import ckan
from ckan.tests.helpers import call_action

from ckanext.govdata.search import suggest
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

ENDPOINT = "/api/3/action/govdata_search_suggest"


@pytest.fixture
def catalogue() -> dict[str, Any]:
    transport = factories.department(title="绍兴市交通运输局")
    health = factories.department(title="绍兴市卫生健康委员会")
    world = {
        "transport": transport,
        "health": health,
        "credit": factories.dataset(transport["id"], title="交通运输企业信用评价结果"),
        "stops": factories.dataset(transport["id"], title="城市公交站点信息"),
        "api": factories.dataservice(transport["id"], title="公交实时到站查询接口"),
        "hospitals": factories.dataset(health["id"], title="医疗机构名录", domain="health"),
        "private": factories.dataset(transport["id"], title="交通执法内部台账", private=True),
        "not_open": factories.dataset(transport["id"], title="交通监控点位明细", open_condition="not-open"),
        "draft": factories.dataset(transport["id"], title="交通规划草稿数据", state="draft"),
    }
    suggest.build()
    return world


def _ask(app: Any, user: dict[str, Any] | None = None, status: int = 200, **params: Any) -> Any:
    headers = {"Authorization": user["token"]} if user else {}
    return app.get(ENDPOINT, params=params, headers=headers, status=status)


def _texts(app: Any, user: dict[str, Any] | None = None, **params: Any) -> list[str]:
    return [suggestion["text"] for suggestion in _ask(app, user, **params).json["result"]["suggestions"]]


PRIVATE, NOT_OPEN, DRAFT = "交通执法内部台账", "交通监控点位明细", "交通规划草稿数据"


def test_a_prefix_suggests_titles_starting_with_it_first_and_the_department(app, catalogue):
    result = _ask(app, q="交通").json["result"]
    titles = [s["text"] for s in result["suggestions"] if s["kind"] == "title"]
    departments = [s for s in result["suggestions"] if s["kind"] == "department"]

    assert titles[0] == "交通运输企业信用评价结果"
    assert departments == [{"kind": "department", "text": "绍兴市交通运输局", "name": catalogue["transport"]["name"]}]
    assert result["suggestions"][0]["name"] == catalogue["credit"]["name"]


def test_an_infix_suggests_titles_holding_it(app, catalogue):
    assert set(_texts(app, q="公交")) == {"城市公交站点信息", "公交实时到站查询接口"}
    assert _texts(app, q="站点") == ["城市公交站点信息"]
    assert "医疗机构名录" in _texts(app, q="医")


def test_type_narrows_titles_to_datasets_or_api_interfaces(app, catalogue):
    assert _texts(app, q="公交", type="dataset") == ["城市公交站点信息"]
    assert _texts(app, q="公交", type="dataservice") == ["公交实时到站查询接口"]


def test_limit_caps_the_suggestions(app, catalogue):
    assert len(_texts(app, q="交", limit=1)) == 1


@pytest.mark.ckan_config("ckanext.govdata.list_not_open", False)
def test_what_each_caller_is_suggested_equals_what_they_find(app, catalogue):
    transport = catalogue["transport"]["id"]
    member = factories.member(transport, "member")
    editor = factories.member(transport, "editor")
    outsider = factories.member(catalogue["health"]["id"], "admin")

    for caller in (None, factories.user(), outsider):
        texts = _texts(app, caller, q="交通", limit=20)
        assert "交通运输企业信用评价结果" in texts
        assert not {PRIVATE, NOT_OPEN, DRAFT} & set(texts), caller
    # A member reads the department's private datasets; only its editors and admins its not-open ones.
    assert PRIVATE in _texts(app, member, q="交通", limit=20)
    assert NOT_OPEN not in _texts(app, member, q="交通", limit=20)
    assert {PRIVATE, NOT_OPEN} <= set(_texts(app, editor, q="交通", limit=20))
    assert DRAFT not in _texts(app, factories.sysadmin(), q="交通", limit=20)


def test_a_dataset_hidden_after_the_build_is_no_longer_suggested(app, catalogue):
    call_action("package_patch", factories.site_context(), id=catalogue["stops"]["id"], private=True)

    assert "城市公交站点信息" not in _texts(app, q="公交")
    assert "城市公交站点信息" in _texts(app, factories.member(catalogue["transport"]["id"], "member"), q="公交")


def test_a_run_on_query_falls_back_to_titles_holding_some_of_it(app, catalogue):
    # 交通企业 holds the bigram 通企, which no title has; each of the others matches.
    assert "交通运输企业信用评价结果" in _texts(app, q="交通企业")


def test_query_syntax_is_plain_text(app, catalogue):
    for text in ('交通"', "交通 AND (", "title:交通", "*:*", "{!lucene}交通", "😀", "交通\x01"):
        assert _ask(app, q=text).json["success"] is True


@pytest.mark.parametrize(
    ("params", "field", "chinese"),
    [
        ({}, "q", "搜索词"),
        ({"q": " "}, "q", "搜索词"),
        ({"q": "交" * 101}, "q", "搜索词"),
        ({"q": "交通", "limit": "0"}, "limit", "建议条数"),
        ({"q": "交通", "limit": "21"}, "limit", "建议条数"),
        ({"q": "交通", "limit": "many"}, "limit", "建议条数"),
        ({"q": "交通", "type": "showcase"}, "type", "数据集类型"),
    ],
)
def test_bad_input_is_refused_naming_the_field(app, params, field, chinese):
    error = _ask(app, status=409, **params).json["error"]

    assert error["__type"] == "Validation Error"
    assert chinese in error[field][0] and " / " in error[field][0]


def test_a_query_that_is_not_text_is_refused(app):
    response = app.post(ENDPOINT, json={"q": ["交通"]}, status=409)

    assert "Search text must be text" in response.json["error"]["q"][0]


def test_without_solr_there_are_no_suggestions_and_no_error(app, monkeypatch):
    dead = pysolr.Solr("http://127.0.0.1:9/solr/none", timeout=2)
    monkeypatch.setattr(suggest, "connection", types.SimpleNamespace(searcher=lambda: dead))

    assert _ask(app, q="交通").json["result"] == {"q": "交通", "suggestions": []}


def test_a_department_removed_after_the_build_is_no_longer_suggested(app, catalogue):
    call_action("dataset_purge", factories.site_context(), id=catalogue["hospitals"]["id"])
    call_action("organization_delete", factories.site_context(), id=catalogue["health"]["id"])

    assert "绍兴市卫生健康委员会" not in _texts(app, q="卫生")


def test_the_command_builds_the_suggestions_from_the_index(app, cli, catalogue):
    factories.dataset(catalogue["transport"]["id"], title="交通拥堵指数")
    assert "交通拥堵指数" not in _texts(app, q="交通拥堵")

    result = cli.invoke(ckan, ["govdata", "search-index", "suggest"])

    assert result.exit_code == 0, result.output
    assert _texts(app, q="交通拥堵") == ["交通拥堵指数"]
