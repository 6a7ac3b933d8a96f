"""The demo's data demands (数据需求): two dozen, in every state, written through the demand
actions and then moved into the past, so the public list, the queues and the ledger show
demands handled on time, late, and overdue now.

Idempotent: nothing is written when the demo requesters have demands already.
"""
from __future__ import annotations

import dataclasses
import secrets
from typing import Any

import ckan.plugins.toolkit as tk
import click
from ckan import model

from ckanext.govdata.demands import history

REQUESTERS = (
    ("demo-citizen-1", "陈晓明"), ("demo-citizen-2", "王丽华"), ("demo-citizen-3", "绍兴智行科技有限公司"),
    ("demo-citizen-4", "赵建国"), ("demo-citizen-5", "绍兴文理学院数据实验室"), ("demo-citizen-6", "孙悦"),
)


@dataclasses.dataclass(frozen=True)
class PlannedDemand:
    title: str
    description: str
    purpose: str
    domain: str
    # The state to reach, and the calendar days ago of each step (submitted, routed, confirmed, provided).
    state: str
    days_ago: tuple[int, ...]
    supporters: int = 0


PLAN = (
    PlannedDemand("电动汽车充电桩位置及实时空闲状态", "充电桩编号、经纬度、运营商、快慢充类型、实时空闲状态，按小时更新。",
                  "开发充电导航小程序。", "transport", "submitted", (1,)),
    PlannedDemand("公共自行车站点及车辆数", "站点名称、位置、桩位数、可借车辆数，实时或按小时更新。", "出行规划应用。",
                  "transport", "submitted", (0,)),
    PlannedDemand("农贸市场摊位租赁信息", "市场名称、摊位数、租金标准、空置摊位。", "帮助小商户选址。", "commerce",
                  "submitted", (2,)),
    PlannedDemand("中小学学区划分范围", "各学校学区对应的小区、街道范围，按学年更新。", "购房咨询和家长查询。",
                  "education-culture", "routed", (3, 2), 4),
    PlannedDemand("公共停车场泊位实时数据", "停车场名称、位置、总泊位、空余泊位、收费标准。", "停车诱导服务。",
                  "transport", "routed", (2, 1), 6),
    PlannedDemand("养老机构床位及入住情况", "机构名称、性质、床位数、空余床位、收费区间。", "为老人家属提供查询。",
                  "social-security", "routed", (1, 0), 2),
    PlannedDemand("河道水质逐月监测结果", "断面名称、监测日期、pH、溶解氧、氨氮、总磷等指标。", "环保课题研究。",
                  "environment", "routed", (16, 14), 3),
    PlannedDemand("新建商品房预售许可信息", "项目名称、开发企业、预售证号、套数、面积。", "房产信息服务平台。",
                  "urban-housing", "routed", (20, 18)),
    PlannedDemand("医疗机构门诊科室及出诊时间", "医院、科室、医生职称、出诊时段。", "就医预约助手。", "health",
                  "accepted", (8, 7, 5), 5),
    PlannedDemand("企业研发费用加计扣除汇总", "按行业、区县汇总的加计扣除企业数和金额。", "科技政策评估。",
                  "science-technology", "accepted", (6, 5, 2)),
    PlannedDemand("高标准农田建设项目分布", "项目名称、位置、面积、建设年度。", "农业保险精算。",
                  "industry-agriculture", "accepted", (5, 4, 3), 1),
    PlannedDemand("公共充电站用电量统计", "按站点、月份统计的充电电量。", "能源消费分析。", "resources-energy",
                  "accepted", (30, 27, 24), 2),
    PlannedDemand("餐饮单位食品安全等级", "单位名称、地址、量化分级等级、评定日期。", "美食点评平台展示。",
                  "credit", "accepted", (26, 24, 21), 7),
    PlannedDemand("公交线路站点及首末班时间", "线路、站点顺序、经纬度、首末班时间。", "公交查询应用。", "transport",
                  "provided", (35, 34, 31, 25), 9),
    PlannedDemand("文化场馆开放时间和预约余量", "场馆名称、开放时段、每日预约余量。", "文旅小程序。",
                  "education-culture", "provided", (40, 38, 36, 30), 3),
    PlannedDemand("社会组织登记信息", "组织名称、类型、登记日期、业务主管单位、统一社会信用代码。", "公益项目对接。",
                  "organizations", "provided", (45, 44, 42, 37)),
    PlannedDemand("建筑工地扬尘在线监测", "工地名称、位置、PM10、PM2.5 监测值，按小时。", "环境舆情分析。",
                  "environment", "provided", (60, 57, 50, 36), 2),
    PlannedDemand("药品零售企业名录", "企业名称、地址、经营范围、许可证有效期。", "购药地图。", "health",
                  "already_open", (12, 11, 10)),
    PlannedDemand("规模以上工业企业产值", "按行业、月份的规上工业总产值。", "产业研究报告。",
                  "industry-agriculture", "already_open", (22, 21, 19)),
    PlannedDemand("个人公积金缴存明细", "每位职工的缴存基数和金额。", "贷款风控。", "finance-tax", "declined",
                  (18, 17, 15)),
    PlannedDemand("警情实时数据", "110 接警的时间、地点和类型。", "社区安全提醒。", "public-safety", "declined",
                  (28, 27, 18)),
    PlannedDemand("求职信息", "我想找一份工作，请推荐。", "求职。", "social-security", "dismissed", (9, 8)),
    PlannedDemand("测试需求", "测试。", "测试。", "commerce", "dismissed", (4, 4)),
    PlannedDemand("出租车运营里程汇总", "按月汇总的出租车运营里程和载客次数。", "交通研究。", "transport",
                  "withdrawn", (7, 6)),
)
DECLINE_REASONS = {
    "个人公积金缴存明细": "涉及个人隐私，依法不予开放；可通过“我的数据”查询本人缴存信息。",
    "警情实时数据": "涉及公共安全，不予开放；将按月发布分类统计数据。",
}


def _action(context: dict[str, Any], action: str, /, **data: Any) -> Any:
    return tk.get_action(action)(dict(context), data)


def _as(user: str) -> dict[str, Any]:
    return {"user": user, "ignore_auth": True}


def _ensure_requesters(site: dict[str, Any]) -> None:
    for name, fullname in REQUESTERS:
        try:
            _action(site, "user_show", id=name)
        except tk.ObjectNotFound:
            # Demo people do not log in: nobody knows the password.
            _action(site, "user_create", name=name, fullname=fullname, email=f"{name}@demo.govdata.invalid",
                    password=secrets.token_urlsafe(24))


def _answering_datasets(site: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """A public dataset per domain: its department is where the domain's demands go."""
    found: dict[str, dict[str, Any]] = {}
    for domain in sorted({planned.domain for planned in PLAN}):
        results = _action(site, "package_search", q="*:*", rows=1, sort="name asc",
                          fq=f"+dataset_type:dataset +capacity:public +domain:{domain}")["results"]
        if results:
            found[domain] = results[0]
    return found


def load(site: dict[str, Any]) -> None:
    """Write the demo demands (the catalogue is loaded already)."""
    _ensure_requesters(site)
    names = [name for name, _fullname in REQUESTERS]
    if any(_action(_as(name), "govdata_demand_list", scope="mine", limit=1)["count"] for name in names):
        click.echo("Demo demands: there already.")
        return
    datasets = _answering_datasets(site)
    if not datasets:
        click.secho("Demo demands: no public datasets to route them to; skipped.", fg="yellow", err=True)
        return
    fallback = next(iter(datasets.values()))
    for number, planned in enumerate(PLAN):
        requester = names[number % len(names)]
        supporters = [name for name in names if name != requester][: planned.supporters]
        _write(site, requester, supporters, planned, datasets.get(planned.domain, fallback))
    model.Session.commit()
    click.echo(f"Demo demands: {len(PLAN)} written.")


def _write(site: dict[str, Any], requester: str, supporters: list[str], planned: PlannedDemand,
           dataset: dict[str, Any]) -> None:
    fullname = dict(REQUESTERS)[requester]
    demand = _action(
        _as(requester), "govdata_demand_create", title=planned.title, description=planned.description,
        purpose=planned.purpose, domain=planned.domain, contact_name=fullname,
        contact_email=f"{requester}@demo.govdata.invalid",
    )
    demand_id = demand["id"]
    if planned.state == "withdrawn":
        _action(site, "govdata_demand_route", id=demand_id, organization_id=dataset["owner_org"])
        _action(_as(requester), "govdata_demand_withdraw", id=demand_id, reason="已通过其他渠道获取")
    elif planned.state == "dismissed":
        _action(site, "govdata_demand_route", id=demand_id, outcome="dismiss",
                reason="不属于公共数据开放范围，请通过 12345 热线咨询。")
    elif planned.state != "submitted":
        _action(site, "govdata_demand_route", id=demand_id, organization_id=dataset["owner_org"])
        for supporter in supporters:
            _action(_as(supporter), "govdata_demand_support", id=demand_id)
        _confirm(site, demand_id, planned, dataset)
    history.backdate(demand_id, planned.days_ago)


def _confirm(site: dict[str, Any], demand_id: str, planned: PlannedDemand, dataset: dict[str, Any]) -> None:
    if planned.state in ("accepted", "provided"):
        _action(site, "govdata_demand_confirm", id=demand_id, decision="accept")
    if planned.state == "provided":
        _action(site, "govdata_demand_provide", id=demand_id, package_id=dataset["id"])
    elif planned.state == "already_open":
        _action(site, "govdata_demand_confirm", id=demand_id, decision="already_open", package_id=dataset["id"])
    elif planned.state == "declined":
        _action(site, "govdata_demand_confirm", id=demand_id, decision="decline",
                reason=DECLINE_REASONS.get(planned.title, "不予开放"))
