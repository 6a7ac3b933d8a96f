"""Search synonyms (#13): Solr's managed resource, edited by the bureau, used by the next search.

Every test that changes the synonyms of the test core removes its groups again, so that the
core keeps the seed (config/solr/conf/_schema_analysis_synonyms_govdata.json).
"""
from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from ckan.tests.helpers import call_action

from ckanext.govdata.demo import synonyms as demo_synonyms
from ckanext.govdata.search import synonyms
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

SEED = Path(__file__).resolve().parents[2] / "config" / "solr" / "conf" / "_schema_analysis_synonyms_govdata.json"
NEW_WORD = "巴士站牌"


@pytest.fixture
def restored() -> Iterator[None]:
    """Removes, after the test, every group holding a word the tests add."""
    yield
    for name in (NEW_WORD, "乘车卡", "测试甲"):
        synonyms.delete_group(name)


def _names(q: str) -> list[str]:
    return [package["name"] for package in call_action("package_search", q=q, rows=20)["results"]]


def _sets(groups: list[list[str]]) -> list[set[str]]:
    return [set(group) for group in groups]


def _sysadmin_context() -> dict:
    return {"user": factories.sysadmin()["name"]}


def test_the_configset_seed_is_the_generators_output():
    assert json.loads(SEED.read_text(encoding="utf-8")) == demo_synonyms.managed_resource()


def test_every_demo_department_is_reachable_by_its_short_name():
    groups = demo_synonyms.groups()
    _city, departments = demo_synonyms._departments()
    for department in departments:
        holding = [group for group in groups if department["title"] in group]
        assert holding, department["title"]
        assert department["short_name"] in holding[0] or len(department["short_name"]) < 2


def test_the_seed_is_what_solr_serves():
    groups = call_action("govdata_search_synonym_list", _sysadmin_context())["groups"]

    assert {"绍兴市人力资源和社会保障局", "人力资源和社会保障局", "市人力社保局", "人力社保局", "人社局", "社保局"} in _sets(groups)


@pytest.mark.usefixtures("restored")
def test_a_saved_group_applies_to_the_next_search_and_removing_it_undoes_that():
    stops = factories.dataset(title="公交站点信息")["name"]
    assert stops not in _names(NEW_WORD)

    saved = call_action("govdata_search_synonym_save", _sysadmin_context(), names=f"{NEW_WORD}，公交站点")

    assert saved["names"] == [NEW_WORD, "公交站点"]
    assert _names(NEW_WORD) == [stops]
    call_action("govdata_search_synonym_delete", _sysadmin_context(), name="公交站点")
    assert stops not in _names(NEW_WORD)


@pytest.mark.usefixtures("restored")
def test_a_group_can_be_replaced_by_an_edited_one():
    context = _sysadmin_context()
    call_action("govdata_search_synonym_save", context, names=["乘车卡", "公交卡"])

    call_action("govdata_search_synonym_save", context, names="乘车卡、市民卡、公交IC卡", replacing="乘车卡,公交卡")

    groups = call_action("govdata_search_synonym_list", context)["groups"]
    assert {"乘车卡", "市民卡", "公交IC卡"} in _sets(groups)
    assert not [group for group in groups if "公交卡" in group]


@pytest.mark.usefixtures("restored")
@pytest.mark.parametrize(
    ("names", "fragment"),
    [
        ("测试甲", "至少需要两个不同的名称"),
        (["测试甲", "测试甲"], "至少需要两个不同的名称"),
        ("测试甲\n测试=>乙", "不能使用的字符"),
        ("测试甲,人社局", "已在同义词组"),
        ("测试甲," + "长" * 41, "超过 40 个字符"),
        ("", "Synonyms"),
        (123, "Synonyms"),
    ],
)
def test_bad_groups_are_refused_naming_the_field_and_change_nothing(names, fragment):
    before = call_action("govdata_search_synonym_list", _sysadmin_context())["groups"]

    with pytest.raises(Exception) as refused:
        call_action("govdata_search_synonym_save", _sysadmin_context(), names=names)

    assert type(refused.value).__name__ == "ValidationError"
    message = " ".join(refused.value.error_dict["names"])
    assert fragment in message
    assert " / " in message  # Chinese, then English
    assert call_action("govdata_search_synonym_list", _sysadmin_context())["groups"] == before


def test_removing_a_group_nobody_made_is_a_404(app):
    sysadmin = factories.sysadmin()
    response = app.post(
        "/api/3/action/govdata_search_synonym_delete", json={"name": "没有的词"},
        headers={"Authorization": sysadmin["token"]},
    )

    assert response.status_code == 404


@pytest.mark.parametrize("who", ["anonymous", "user", "department_admin"])
def test_only_bureau_staff_may_read_or_change_synonyms(app, who):
    headers = {}
    if who == "user":
        headers = {"Authorization": factories.user()["token"]}
    elif who == "department_admin":
        department = factories.department()
        headers = {"Authorization": factories.member(department["id"], role="admin")["token"]}

    listed = app.get("/api/3/action/govdata_search_synonym_list", headers=headers)
    saved = app.post("/api/3/action/govdata_search_synonym_save", json={"names": "测试甲,测试乙"}, headers=headers)
    page = app.get("/search/synonyms", headers=headers, follow_redirects=False)

    assert listed.status_code == 403
    assert saved.status_code == 403
    assert page.status_code in (302, 403)
    assert {"测试甲", "测试乙"} not in _sets(synonyms.list_groups())


@pytest.mark.usefixtures("restored")
def test_the_staff_page_lists_saves_and_removes_groups_and_keeps_bad_input(app):
    sysadmin = factories.sysadmin()
    headers = {"Authorization": sysadmin["token"]}

    listed = app.get("/search/synonyms", headers=headers)
    assert "人社局" in listed.body

    refused = app.post("/search/synonyms", data={"operation": "save", "names": "测试甲"}, headers=headers)
    assert "至少需要两个不同的名称" in refused.body
    assert ">测试甲</textarea>" in refused.body

    app.post("/search/synonyms", data={"operation": "save", "names": "测试甲、测试乙"}, headers=headers)
    assert {"测试甲", "测试乙"} in _sets(synonyms.list_groups())

    app.post("/search/synonyms", data={"operation": "delete", "name": "测试乙"}, headers=headers)
    assert not [group for group in synonyms.list_groups() if "测试甲" in group]
