"""Dataset search and dataset pages render in Chinese with the catalogue's fields."""
from __future__ import annotations

import pytest
from ckan.tests.helpers import call_action

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def test_search_page_filters_by_domain_with_chinese_facets(app, department):
    bus = factories.dataset(department["id"], title="2023年公交客运量统计")
    factories.dataset(department["id"], title="空气质量日报", domain="environment")

    page = app.get("/dataset/", query_string={"domain": "transport"}).body

    assert bus["title"] in page
    assert "空气质量日报" not in page
    for chinese in ("开放领域", "开放属性", "更新频率", "交通运输", "无条件开放"):
        assert chinese in page, chinese


def test_dataset_page_shows_domain_badge_record_count_and_data_items(app, department):
    dataset = factories.dataset(department["id"], open_condition="conditional", record_count=243_000_000)

    page = app.get(f"/dataset/{dataset['name']}").body

    assert "govdata-badge-conditional" in page
    assert "有条件开放" in page
    assert "交通运输" in page
    assert "数据项" in page and "线路编号" in page and "route_no" in page
    summary = page.split('class="govdata-summary"', 1)[1].split("</p>", 1)[0]
    assert "数据量: 2.43亿" in summary
    assert "更新频率: 每月" in summary


def test_dataservice_page_shows_endpoint_parameters_and_response_fields(app, department):
    api = factories.dataservice(department["id"])

    page = app.get(f"/dataservice/{api['name']}").body

    assert "https://data.sx.gov.cn/api/bus/arrival" in page
    assert "返回字段" in page
    assert "route_no" in page


def test_english_is_available(app, department):
    factories.dataset(department["id"])

    page = app.get("/en/dataset/").body

    assert "Domain" in page and "Transport" in page


def test_main_navigation_lists_the_catalogue_sections(app):
    page = app.get("/").body

    nav = page.split('class="masthead"', 1)[1].split("</nav>", 1)[0]
    for label, href in (("数据集", "/dataset/"), ("API 接口", "/dataservice/"), ("提供单位", "/organization/"), ("关于", "/about")):
        assert f'href="{href}"' in nav and label in nav, label
    assert "/group/" not in nav


def _nav(app, user=None) -> str:
    headers = {"Authorization": user["token"]} if user else {}
    return app.get("/", headers=headers).body.split('class="masthead"', 1)[1].split("</nav>", 1)[0]


def test_navigation_lists_scenarios_showcases_contests_and_statistics_once(app):
    nav = _nav(app)

    for label, href in (("开放场景", "/scenario/"), ("应用成果", "/showcase/"), ("开放大赛", "/contest/"), ("数据统计", "/stats")):
        assert label in nav and nav.count(f'href="{href}"') == 1, label
    assert "/access/" not in nav


def test_navigation_leads_applicants_and_reviewers_to_their_requests(app, department):
    applicant = factories.user()
    editor = factories.user()
    call_action("organization_member_create", factories.site_context(), id=department["id"],
                username=editor["name"], role="editor")

    applicant_nav, editor_nav, admin_nav = _nav(app, applicant), _nav(app, editor), _nav(app, factories.sysadmin())

    assert 'href="/access/requests"' in applicant_nav and 'href="/access/review"' not in applicant_nav
    for reviewer_nav in (editor_nav, admin_nav):
        assert 'href="/access/review"' in reviewer_nav and 'href="/access/requests"' not in reviewer_nav
