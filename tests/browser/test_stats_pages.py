"""The statistics pages in a real browser: figures, charts drawn by Chart.js, the staff monitor."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from ckanext.govdata.stats import usage
from tests import factories

pytestmark = [
    pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins"),
    pytest.mark.ckan_config("ckanext.govdata.stats.flush_interval", 0),
]


@pytest.fixture
def catalogue() -> dict:
    transport = factories.department(title="交通运输局")
    health = factories.department(title="卫生健康委")
    factories.dataset_with_data(transport["id"], catalogue_class="公交客运", issued="2023-01-15")
    factories.dataset_with_data(transport["id"], catalogue_class="出租车", issued="2024-03-01")
    api = factories.dataservice(transport["id"], catalogue_class="实时公交", issued="2024-03-20")
    factories.dataset_with_data(health["id"], domain="health", catalogue_class="门诊", issued="2024-03-02")
    # Published without data: in none of the charts and figures, only said apart.
    factories.dataset(health["id"], domain="health", catalogue_class="疫苗接种", issued="2024-03-05")
    for _ in range(3):
        usage.track(usage.API_CALL, package_id=api["id"])
    usage.flush()
    return {"transport": transport, "health": health}


def chart_data(page, canvas_id: str) -> list[list[int]]:
    return page.evaluate(
        "(id) => Chart.getChart(document.getElementById(id)).data.datasets.map((d) => d.data)", canvas_id
    )


def test_statistics_page_draws_its_charts(live_server, page, catalogue):
    page.goto(f"{live_server}/stats")
    page.wait_for_selector("canvas[data-rendered='true']")
    assert page.locator("canvas[data-govdata-chart]").count() == 4
    assert page.locator("canvas[data-rendered='true']").count() == 4

    datasets, apis = chart_data(page, "chart-domains")
    assert sum(datasets) == 3 and sum(apis) == 1
    datasets, apis = chart_data(page, "chart-departments")
    assert sorted(datasets) == [1, 2] and sum(apis) == 1
    datasets, apis = chart_data(page, "chart-new-datasets")
    assert page.evaluate("Chart.getChart(document.getElementById('chart-new-datasets')).data.labels") == ["2023-01", "2024-03"]
    assert (datasets, apis) == ([1, 2], [0, 1])
    downloads, calls = chart_data(page, "chart-usage")
    assert (sum(downloads), sum(calls), calls[-1]) == (0, 3, 3)
    # The canvas really has pixels drawn on it, not just a chart object.
    assert page.evaluate(
        "() => { const c = document.getElementById('chart-domains');"
        " return c.getContext('2d').getImageData(0, 0, c.width, c.height).data.some((v) => v !== 0); }"
    )
    assert page.locator("[data-figure='datasets'] strong").inner_text() == "3"
    assert "只统计已挂载数据的目录" in page.locator("[data-figure='without_data']").inner_text()
    assert page.locator("[data-figure='without_data'] a").count() == 0


def test_home_and_department_pages_show_their_figures(live_server, page, catalogue):
    page.goto(live_server)
    assert page.locator("[data-figure='departments'] strong").inner_text() == "2"
    assert page.locator("[data-figure='apis'] strong").inner_text() == "1"
    page.click("text=医疗卫生")
    page.wait_for_url("**/dataset/?domain=health")

    page.goto(f"{live_server}/organization/{catalogue['transport']['name']}")
    assert page.locator("[data-figure='datasets'] strong").inner_text() == "2"
    page.click("text=该部门的统计")
    page.wait_for_selector("canvas[data-rendered='true']")
    assert page.locator("canvas[data-rendered='true']").count() == 3


def test_monitor_sorts_and_exports_for_staff(live_server, page, catalogue):
    sysadmin = factories.sysadmin(password="correct123")
    page.goto(f"{live_server}/user/login")
    page.fill("#field-login", sysadmin["name"])
    page.fill("#field-password", "correct123")
    page.press("#field-password", "Enter")
    page.wait_for_load_state("networkidle")
    # Staff follow the home page's count of entries without data to the report that lists them.
    page.goto(live_server)
    page.click("text=尚未挂载数据的已发布目录：1 个")
    page.wait_for_url("**/directory/reports#without-data")
    assert page.locator("table.govdata-without-data tbody tr").count() == 1
    page.goto(f"{live_server}/monitor")
    names = page.locator("#govdata-monitor tbody tr").evaluate_all("(rows) => rows.map((r) => r.dataset.department)")
    assert names == sorted(names, key=lambda name: {catalogue["transport"]["name"]: "交通运输局", catalogue["health"]["name"]: "卫生健康委"}[name])

    page.click("th[data-column='api_calls_all_time'] a")
    page.click("th[data-column='api_calls_all_time'] a")
    assert page.locator("th[data-column='api_calls_all_time']").get_attribute("aria-sort") == "descending"
    first = page.locator("#govdata-monitor tbody tr").first
    assert first.get_attribute("data-department") == catalogue["transport"]["name"]

    with page.expect_download() as download_info:
        page.click("text=导出 Excel")
    download = download_info.value
    assert download.suggested_filename.endswith(".xlsx")
    with open(download.path(), "rb") as handle:
        sheet = load_workbook(io.BytesIO(handle.read())).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][0] == "交通运输局"
    assert len(rows) == 3
