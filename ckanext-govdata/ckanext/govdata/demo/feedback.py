"""The demo's error reports (纠错) and ratings (好差评), written through the feedback actions.

``load(context)`` runs after the catalogue. It is idempotent: when the demo reporters have
reports already, it leaves everything alone. Reports and ratings are made as the demo users
would make them, answered as the departments would (the bureau's account acts for them), then
moved back in time so that every state shows: waiting, overdue, answered on time and late,
withdrawn; bad ratings rectified on time and late, open and overdue, taken back.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import logging
import random
import secrets
from collections.abc import Iterator
from typing import Any

import ckan.plugins.toolkit as tk
import click
from ckan import model

from ckanext.govdata import calendar
from ckanext.govdata.feedback.model import Correction, CorrectionEvent, Rating, Rectification

DEFAULT_SEED = 2026
REPORTERS = 12
SEARCH_ROWS = 1000
REPORTER_NAME = "demo-reporter-{:02d}"

# (what happened, how many): each report's life, in the order they are made.
CORRECTION_PLAN = (
    ("waiting", 4), ("overdue", 3), ("fixed", 7), ("fixed_late", 2), ("rejected", 4), ("rejected_late", 1),
    ("withdrawn", 3),
)
RATING_PLAN = (
    ("good", 30), ("rectified", 6), ("rectified_late", 2), ("open", 3), ("open_overdue", 2), ("taken_back", 2),
)
PROBLEMS = (
    ("联系电话", "电话号码少了一位，无法拨通"),
    ("地址", "地址中的街道名称有错别字"),
    ("统计日期", "日期写成了2033年，应为2023年"),
    ("数量", "数量为负数，与实际不符"),
    ("统一社会信用代码", "信用代码校验位不正确"),
    ("名称", "单位名称已变更，数据仍是旧名称"),
    ("经纬度", "坐标落在海上，位置明显错误"),
    ("", "数据更新频率标注为每日，但已三个月未更新"),
)
FIX_NOTES = ("已按来源系统核实并更正", "已补全并重新发布数据", "已更正错别字并同步到来源系统")
REJECT_NOTES = ("经核实，数据与来源系统一致", "该字段按国家标准填写，不属于错误")
BAD_REASONS = ("缺少字段说明，看不懂各列含义", "接口经常超时", "数据更新不及时", "下载的文件打不开", "缺少计量单位")
RECTIFY_NOTES = ("已补充数据项说明", "已扩容接口服务并优化响应", "已恢复每日更新", "已重新上传文件")


def _action(context: dict[str, Any], action: str, /, **data: Any) -> Any:
    return tk.get_action(action)(dict(context), data)


def _as(user: str) -> dict[str, Any]:
    return {"user": user, "ignore_auth": False}


def _ensure_reporter(context: dict[str, Any], number: int) -> str:
    name = REPORTER_NAME.format(number)
    try:
        _action(context, "user_show", id=name)
    except tk.ObjectNotFound:
        _action(context, "user_create", name=name, fullname=f"演示用户{number:02d}",
                email=f"{name}@demo.govdata.invalid", password=secrets.token_urlsafe(24))
    return name


def _published(context: dict[str, Any]) -> list[dict[str, Any]]:
    packages: list[dict[str, Any]] = []
    start = 0
    while True:
        page = _action(context, "package_search", q="*:*", rows=SEARCH_ROWS, start=start, sort="name asc",
                       fq="+dataset_type:(dataset OR dataservice) +capacity:public")
        packages += page["results"]
        start += SEARCH_ROWS
        if start >= page["count"]:
            return packages


@contextlib.contextmanager
def _quiet_mail() -> Iterator[None]:
    """Demo users' addresses do not exist: the notices' mail failures are not news."""
    logger = logging.getLogger("ckanext.govdata.feedback.notify")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _at(day: dt.date, hour: int = 10) -> dt.datetime:
    """Naive UTC at ``hour`` o'clock local time on ``day``."""
    return calendar.day_starts_at(day) + dt.timedelta(hours=hour)


def _plan(steps: tuple[tuple[str, int], ...]) -> list[str]:
    return [what for what, count in steps for _ in range(count)]


def _backdate_correction(correction_id: str, opened_on: dt.date, answered_on: dt.date | None) -> None:
    correction = model.Session.get(Correction, correction_id)
    assert correction is not None
    correction.submitted_at = correction.created = _at(opened_on)
    correction.due_date = calendar.add_workdays(opened_on, correction.limit_days)
    if answered_on is not None:
        correction.resolved_at = _at(answered_on, 15)
    for event in model.Session.query(CorrectionEvent).filter(CorrectionEvent.correction_id == correction_id):
        event.created = correction.submitted_at if event.action == "submitted" else _at(answered_on or opened_on, 15)


def _backdate_rectification(item_id: str, opened_on: dt.date, closed_on: dt.date | None) -> None:
    item = model.Session.get(Rectification, item_id)
    assert item is not None
    item.opened_at = _at(opened_on)
    item.due_date = calendar.add_workdays(opened_on, item.limit_days)
    if closed_on is not None:
        item.closed_at = _at(closed_on, 15)
    rating = model.Session.get(Rating, item.rating_id)
    if rating is not None:
        rating.created = rating.modified = item.opened_at


def _load_corrections(context: dict[str, Any], rng: random.Random, reporters: list[str],
                      packages: list[dict[str, Any]]) -> int:
    bureau = context["user"]
    today = calendar.today()
    with_resources = [package for package in packages if package.get("resources")]
    made = 0
    for number, what in enumerate(_plan(CORRECTION_PLAN)):
        package = rng.choice(with_resources)
        resource = rng.choice(package["resources"])
        field, problem = rng.choice(PROBLEMS)
        report = _action(_as(reporters[number % len(reporters)]), "govdata_correction_create",
                         package_id=package["id"], resource_id=resource["id"],
                         location=f"第{rng.randint(2, 400)}行 {field}".strip(), description=problem)
        limit = report["limit_days"]
        opened_on = calendar.add_workdays(today - dt.timedelta(days=rng.randint(25, 80)), 0)
        answered_on: dt.date | None = None
        if what == "waiting":
            opened_on = today
        elif what == "withdrawn":
            _action(_as(report["user_name"]), "govdata_correction_withdraw", id=report["id"], reason="重复提交")
        elif what != "overdue":
            late = what.endswith("_late")
            answered_on = calendar.add_workdays(opened_on, limit + 2 if late else rng.randint(1, limit))
            if what.startswith("fixed"):
                _action(_as(bureau), "govdata_correction_decide", id=report["id"], decision="fix",
                        note=rng.choice(FIX_NOTES), fixed_resource_id=resource["id"])
            else:
                _action(_as(bureau), "govdata_correction_decide", id=report["id"], decision="reject",
                        note=rng.choice(REJECT_NOTES))
        _backdate_correction(report["id"], opened_on, answered_on)
        made += 1
    model.Session.commit()
    return made


def _load_ratings(context: dict[str, Any], rng: random.Random, reporters: list[str],
                  packages: list[dict[str, Any]]) -> int:
    bureau = context["user"]
    today = calendar.today()
    pairs = rng.sample([(reporter, package) for reporter in reporters for package in packages[:60]],
                       sum(count for _what, count in RATING_PLAN))
    for (reporter, package), what in zip(pairs, _plan(RATING_PLAN), strict=True):
        if what == "good":
            _action(_as(reporter), "govdata_rating_create", package_id=package["id"], value="good")
            continue
        rated = _action(_as(reporter), "govdata_rating_create", package_id=package["id"], value="bad",
                        reason=rng.choice(BAD_REASONS))
        item = rated["rectification"]
        limit = item["limit_days"]
        opened_on = today - dt.timedelta(days=rng.randint(40, 90))
        closed_on: dt.date | None = None
        if what == "open":
            opened_on = today - dt.timedelta(days=rng.randint(0, 5))
        elif what == "taken_back":
            _action(_as(reporter), "govdata_rating_create", package_id=package["id"], value="good")
            closed_on = opened_on + dt.timedelta(days=3)
        elif what.startswith("rectified"):
            closed_on = calendar.add_workdays(opened_on, limit + 3 if what.endswith("_late") else rng.randint(2, limit))
            _action(_as(bureau), "govdata_rectification_rectify", id=item["id"], note=rng.choice(RECTIFY_NOTES))
        _backdate_rectification(item["id"], opened_on, closed_on)
    model.Session.commit()
    return len(pairs)


def load(context: dict[str, Any], seed: int = DEFAULT_SEED) -> dict[str, int]:
    """Reports and ratings in every state, unless the demo reporters have some already."""
    reporters = [_ensure_reporter(context, number) for number in range(1, REPORTERS + 1)]
    reporter_ids = [user.id for user in model.Session.query(model.User).filter(model.User.name.in_(reporters))]
    if model.Session.query(Correction.id).filter(Correction.user_id.in_(reporter_ids)).first() is not None:
        return {"corrections": 0, "ratings": 0}
    packages = _published(context)
    if not packages:
        return {"corrections": 0, "ratings": 0}
    rng = random.Random(seed)
    with _quiet_mail():
        made = {
            "corrections": _load_corrections(context, rng, reporters, packages),
            "ratings": _load_ratings(context, rng, reporters, packages),
        }
    click.secho(f"Demo feedback: {made['corrections']} error reports, {made['ratings']} ratings.", fg="green")
    return made
