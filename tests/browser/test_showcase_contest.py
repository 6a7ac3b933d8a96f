"""In a real browser: a showcase goes from submission through moderation onto its dataset's page,
and a data contest runs from registration through submission and scoring to its results."""
from __future__ import annotations

import io

import pytest
from PIL import Image

from tests import factories
from tests.browser.conftest import log_in

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

PASSWORD = "correct123"


def _png() -> dict:
    data = io.BytesIO()
    Image.new("RGB", (1024, 640), (20, 110, 180)).save(data, format="PNG")
    return {"name": "screen.png", "mimeType": "image/png", "buffer": data.getvalue()}


def _switch_user(page, base_url: str, user: dict | None) -> None:
    page.context.clear_cookies()
    if user:
        log_in(page, base_url, user["name"], PASSWORD)


def _submit(page) -> None:
    with page.expect_navigation():
        page.click("form#showcase-form button[type=submit]")


def test_a_showcase_is_submitted_moderated_and_listed_on_its_dataset(live_server, page, ckan_config, monkeypatch):
    dataset = factories.dataset(title="2023年公交客运量统计")
    author = factories.user(password=PASSWORD)
    moderator = factories.user(password=PASSWORD)
    monkeypatch.setitem(ckan_config, "ckanext.govdata.showcase.moderators", [moderator["name"]])

    log_in(page, live_server, author["name"], PASSWORD)
    page.goto(f"{live_server}/showcase/")
    with page.expect_navigation():
        page.get_by_role("link", name="提交应用成果").first.click()
    page.fill("#field-title", "公交到站提醒小程序")
    page.fill("#field-notes", "根据实时客运数据提醒乘客。")
    page.select_option("#field-category", "mini-program")
    page.fill("#field-author", "越州数据工作室")
    page.fill("#field-datasets", dataset["name"])
    page.set_input_files("#field-screenshot_upload", [_png()])
    _submit(page)

    assert "等待审核" in page.locator(".govdata-moderation-pending").first.inner_text()
    showcase_url = page.url
    assert page.locator(".govdata-screenshots img").count() == 1

    _switch_user(page, live_server, None)
    assert page.goto(showcase_url).status == 404

    _switch_user(page, live_server, moderator)
    page.goto(f"{live_server}/showcase/moderation")
    with page.expect_navigation():
        page.get_by_role("link", name="公交到站提醒小程序").click()
    page.fill("#field-moderation-comment", "内容完整，同意发布。")
    with page.expect_navigation():
        page.click("button[name=decision][value=published]")

    _switch_user(page, live_server, None)
    page.goto(f"{live_server}/dataset/{dataset['name']}")
    used_by = page.locator(".govdata-used-by")
    assert "使用此数据的应用" in used_by.inner_text()
    with page.expect_navigation():
        used_by.get_by_role("link", name="公交到站提醒小程序").click()
    assert page.locator(".govdata-screenshots img").count() == 1
    assert page.locator(".govdata-moderation").count() == 0


PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def test_a_contest_runs_from_registration_to_results(live_server, page):
    staff = factories.sysadmin(password=PASSWORD)
    leader = factories.user(password=PASSWORD)
    judge = factories.user(password=PASSWORD)
    dates = factories.contest_dates()
    offered = factories.conditional_dataset(data_subject_type="none", subject_id_column="", title="养老机构床位数据")

    log_in(page, live_server, staff["name"], PASSWORD)
    page.goto(f"{live_server}/contest/new")
    page.fill("#field-title", "2026绍兴数据开放创新应用大赛")
    page.fill("#field-name", "sx-2026")
    page.fill("#field-year", "2026")
    for field, value in dates.items():
        page.fill(f"#field-{field}", value)
    page.fill("#field-tracks", "city|城市治理赛道\nlivelihood|民生服务赛道")
    page.fill("#field-criteria", "innovation|创新性|40\nvalue|应用价值|60")
    page.fill("#field-packages", offered["name"])
    page.set_input_files("#field-rules_upload", [{"name": "参赛规则.pdf", "mimeType": "application/pdf", "buffer": PDF}])
    with page.expect_navigation():
        page.click("form#contest-form button[type=submit]")
    assert page.locator(".govdata-contest-title").inner_text() == "2026绍兴数据开放创新应用大赛"
    assert "参赛规则.pdf" in page.locator(".govdata-contest-rules").inner_text()
    assert "已报名的队伍可使用下列有条件开放数据" in page.locator(".govdata-contest-data").inner_text()

    # Registration
    _switch_user(page, live_server, leader)
    page.goto(f"{live_server}/contest/sx-2026")
    with page.expect_navigation():
        page.get_by_role("link", name="队伍报名").click()
    page.fill("#field-team-name", "兰亭数据工作室")
    page.fill("#field-organisation", "绍兴文理学院")
    page.select_option("#field-track", "livelihood")
    page.fill("#field-members", "王芳, 李磊")
    with page.expect_navigation():
        page.click("form#team-form button[type=submit]")
    assert page.locator(".govdata-team-name").inner_text() == "兰亭数据工作室"
    assert "养老机构床位数据" in page.locator(".govdata-team-grants").inner_text()

    # The team changes its members after registering
    with page.expect_navigation():
        page.get_by_role("link", name="修改队伍信息").click()
    page.fill("#field-members", "王芳, 李磊, 陈晨")
    with page.expect_navigation():
        page.click("form#team-form button[type=submit]")
    assert "陈晨" in page.locator(".govdata-team-details").inner_text()

    # Submission
    with page.expect_navigation():
        page.get_by_role("link", name="提交参赛作品").click()
    page.fill("#field-title", "养老服务地图")
    page.fill("#field-notes", "汇集养老机构位置与床位。")
    page.select_option("#field-category", "web")
    page.set_input_files("#field-screenshot_upload", [_png()])
    _submit(page)
    assert "养老服务地图" in page.locator(".govdata-team-entries").inner_text()

    # Moderation of the entry and assignment of a judge
    _switch_user(page, live_server, staff)
    page.goto(f"{live_server}/contest/sx-2026/manage")
    with page.expect_navigation():
        page.get_by_role("link", name="养老服务地图").click()
    with page.expect_navigation():
        page.click("button[name=decision][value=published]")
    page.goto(f"{live_server}/contest/sx-2026/manage")
    page.fill(".govdata-judges-form input[name=judges]", judge["name"])
    with page.expect_navigation():
        page.click(".govdata-judges-form button[type=submit]")

    # Scoring
    _switch_user(page, live_server, judge)
    page.goto(f"{live_server}/contest/sx-2026")
    with page.expect_navigation():
        page.get_by_role("link", name="待评审作品").click()
    entry = page.locator(".govdata-judging-entry")
    assert entry.count() == 1
    entry.locator("input[name=score-innovation]").fill("36")
    entry.locator("input[name=score-value]").fill("50")
    with page.expect_navigation():
        entry.locator("button[type=submit]").click()
    assert "86" in page.locator(".govdata-scored").inner_text()

    # Results
    _switch_user(page, live_server, staff)
    page.goto(f"{live_server}/contest/sx-2026/manage")
    assert page.locator(".govdata-mean-total").first.inner_text() == "86.0"
    page.fill("#results-form input[name^=award-]", "一等奖")
    page.fill("#results-form input[name^=rank-]", "1")
    with page.expect_navigation():
        page.click("#results-form button[type=submit]")

    _switch_user(page, live_server, None)
    page.goto(f"{live_server}/contest/sx-2026")
    winners = page.locator(".govdata-contest-winners").inner_text()
    assert "一等奖" in winners and "养老服务地图" in winners and "兰亭数据工作室" in winners
    assert page.locator(".govdata-team-count").inner_text() == "1"
    assert "民生服务赛道" in page.locator(".govdata-tracks").inner_text()
