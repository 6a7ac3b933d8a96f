"""Home page figures, the statistics pages, department pages and the staff monitor."""
from __future__ import annotations

import io
import re

import pytest
from ckan.tests.helpers import call_action
from openpyxl import load_workbook

from ckanext.govdata.stats import helpers
from tests import factories

pytestmark = [
    pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins"),
    pytest.mark.ckan_config("ckanext.govdata.stats.flush_interval", 0),
]


def figure(html: str, name: str) -> str:
    match = re.search(rf'data-figure="{name}"[^>]*>\s*<strong>([^<]*)</strong>', html)
    assert match, f"no {name} figure"
    return match.group(1)


@pytest.fixture
def catalogue() -> dict:
    transport = factories.department(title="交通运输局")
    factories.dataset_with_data(transport["id"], catalogue_class="公交客运", record_count=243_000_000)
    factories.dataservice(transport["id"], catalogue_class="实时公交", record_count=0)
    factories.dataset_with_data(transport["id"], private=True)
    # Published without data: counted in none of the figures, only said apart.
    factories.dataset(transport["id"], catalogue_class="出租客运", record_count=5000)
    return {"transport": transport}


def test_home_page_shows_the_headline_figures_and_the_domain_grid(app, catalogue):
    html = app.get("/", status=200).get_data(as_text=True)
    assert figure(html, "departments") == "1"
    assert figure(html, "domains") == "1"
    assert figure(html, "catalogue_classes") == "2"
    assert figure(html, "datasets") == "1"
    assert figure(html, "apis") == "1"
    assert figure(html, "data_items") == "4"
    assert figure(html, "records") == "2.43亿"
    grid = re.search(r'href="/dataset/\?domain=transport".*?<strong class="govdata-domain-count">(\d+)</strong>', html, re.DOTALL)
    assert grid and grid.group(1) == "2"
    assert html.count('class="govdata-domain"') == 14
    assert "只统计已挂载数据的目录" in html
    assert "尚未挂载数据的已发布目录：1 个" in html


def test_the_figures_say_they_count_only_entries_that_serve_data_in_english(app, catalogue):
    html = app.get("/en/stats", status=200).get_data(as_text=True)
    assert figure(html, "datasets") == "1"
    assert "Only entries that serve data are counted" in html
    assert "Published entries without data yet: 1" in html


def test_staff_are_linked_to_the_report_of_entries_without_data(app, catalogue):
    report = "/directory/reports#without-data"
    assert report not in app.get("/", status=200).get_data(as_text=True)
    outsider = factories.user()
    assert report not in app.get("/", headers={"Authorization": outsider["token"]}, status=200).get_data(as_text=True)

    sysadmin = factories.sysadmin()
    assert f'href="{report}"' in app.get("/", headers={"Authorization": sysadmin["token"]}, status=200).get_data(as_text=True)
    editor = factories.member(catalogue["transport"]["id"])
    page = app.get(f"/stats/department/{catalogue['transport']['name']}", headers={"Authorization": editor["token"]}, status=200)
    assert f'href="/directory/reports?department={catalogue["transport"]["id"]}#without-data"' in page.get_data(as_text=True)


def test_statistics_page_has_charts_and_tables(app, catalogue):
    html = app.get("/stats", status=200).get_data(as_text=True)
    assert html.count('data-govdata-chart') == 4
    assert "chart.umd.min.js" in html or "_stats.js" in html
    assert 'data-breakdown="department"' in html
    assert "交通运输局" in html
    assert f'href="/stats/department/{catalogue["transport"]["name"]}"' in html
    assert 'href="/stats/domain/transport"' in html


def test_domain_and_department_statistics_pages(app, catalogue):
    domain = app.get("/stats/domain/transport", status=200).get_data(as_text=True)
    assert figure(domain, "datasets") == "1"
    assert 'data-figure="domains"' not in domain
    department = app.get(f"/stats/department/{catalogue['transport']['name']}", status=200).get_data(as_text=True)
    assert figure(department, "apis") == "1"
    app.get("/stats/domain/weather", status=404)
    app.get("/stats/department/no-such-department", status=404)


def test_department_page_shows_its_own_figures(app, catalogue):
    other = factories.department()
    factories.dataset_with_data(other["id"])
    factories.dataset_with_data(other["id"])
    html = app.get(f"/organization/{other['name']}", status=200).get_data(as_text=True)
    assert figure(html, "datasets") == "2"
    assert figure(html, "apis") == "0"


def test_monitor_is_for_staff_sortable_and_exports_to_excel(app, catalogue):
    app.get("/monitor", status=403)
    quiet = factories.department(title="安静局")
    sysadmin = factories.sysadmin()
    headers = {"Authorization": sysadmin["token"]}

    html = app.get("/monitor?sort=datasets&order=desc", headers=headers, status=200).get_data(as_text=True)
    order = re.findall(r'<tr data-department="([^"]+)"', html)
    assert order == [catalogue["transport"]["name"], quiet["name"]]
    assert 'aria-sort="descending"' in html
    assert "/monitor?sort=datasets&amp;order=asc" in html
    assert f'href="/directory/reports?department={catalogue["transport"]["id"]}#without-data"' in html
    app.get("/monitor?sort=colour", headers=headers, status=400)

    response = app.get("/monitor/export.xlsx?sort=title", headers=headers, status=200)
    assert response.headers["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("提供单位", "部门代码", "数据集", "API 接口", "已发布未挂载数据", "未公开")
    by_title = {row[0]: row for row in rows[1:]}
    assert by_title["交通运输局"][2:6] == (1, 1, 1, 1)
    assert by_title["安静局"][2] == 0


def test_monitor_lists_only_the_departments_an_editor_works_for(app, catalogue):
    editor = factories.user()
    call_action("organization_member_create", factories.site_context(), id=catalogue["transport"]["id"], username=editor["name"], role="editor")
    factories.department()
    html = app.get("/monitor", headers={"Authorization": editor["token"]}, status=200).get_data(as_text=True)
    assert re.findall(r'<tr data-department="([^"]+)"', html) == [catalogue["transport"]["name"]]


@pytest.mark.parametrize(
    ("language", "value", "expected"),
    [("zh_Hans_CN", 243_000_000, "2.43亿"), ("zh_Hans_CN", 3272, "3,272"), ("zh_Hans_CN", 125_000, "12.5万"), ("en", 243_000_000, "243 million")],
)
def test_records_are_written_compactly_in_each_language(monkeypatch, language, value, expected):
    monkeypatch.setattr(helpers.vocabularies, "current_language", lambda: language)
    assert helpers.govdata_stats_compact(value) == expected
