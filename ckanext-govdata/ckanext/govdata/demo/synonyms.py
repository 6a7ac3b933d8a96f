"""The synonyms Solr starts with: the demo city's departments by the names people use, and
common terms of government data.

config/solr/conf/_schema_analysis_synonyms_govdata.json is this module's output (a test keeps
them equal); staff change the live list from /search/synonyms, which Solr keeps beside it.
Regenerate after changing the departments or the terms below::

    .venv/bin/python -m ckanext.govdata.demo.synonyms > config/solr/conf/_schema_analysis_synonyms_govdata.json
"""
from __future__ import annotations

import json
from importlib import resources
from typing import Any

import yaml

# Names people use besides the department's formal short name (departments.yaml).
COLLOQUIAL = {
    "sx-fgw": ["发改委", "发改局"],
    "sx-jxj": ["经信局", "经信委"],
    "sx-kjj": ["科技局"],
    "sx-mzzjj": ["民宗局"],
    "sx-rsj": ["人社局", "人力社保局", "社保局"],
    "sx-zrzyj": ["资规局", "自然资源局", "规划局"],
    "sx-sthjj": ["生态环境局", "环保局"],
    "sx-zjj": ["住建局", "建设局"],
    "sx-jtysj": ["交通局", "交通运输局"],
    "sx-nyncj": ["农业农村局", "农业局"],
    "sx-wglyj": ["文广旅游局", "文旅局", "文化局", "旅游局"],
    "sx-wjw": ["卫健委", "卫生局"],
    "sx-tyjrj": ["退役军人局"],
    "sx-yjglj": ["应急局", "应急管理局", "安监局"],
    "sx-wb": ["外办"],
    "sx-gzw": ["国资委"],
    "sx-scjgj": ["市监局", "市场监管局", "工商局"],
    "sx-ybj": ["医保局"],
    "sx-zhzfj": ["综合执法局", "城管局"],
    "sx-dsj": ["数据局", "大数据局", "大数据中心"],
    "sx-jgswj": ["机关事务局"],
    "sx-rfb": ["人防办"],
    "sx-shuiwu": ["税务局"],
    "sx-gjjzx": ["公积金中心"],
    "sx-xfzd": ["消防支队", "消防"],
    "sx-gdgs": ["供电公司", "电力公司", "国网"],
    "sx-swcy": ["水务集团", "水务公司"],
    "sx-gjjt": ["公交集团", "公交公司"],
    "sx-hg": ["海关"],
    "sx-yzglj": ["邮政局"],
    "sx-yczmj": ["烟草局"],
    "sx-rmyh": ["人民银行", "人行", "央行"],
    "sx-jrj": ["金融办", "金融局"],
    "sx-tsw": ["团委"],
    "sx-fl": ["妇联"],
    "sx-cl": ["残联"],
    "sx-kx": ["科协"],
    "sx-hszh": ["红十字会"],
    "sx-gsl": ["工商联"],
    "sx-ggzyjy": ["交易中心", "公共资源交易中心"],
    "sx-zy": ["中院", "中级法院", "中级人民法院"],
    "sx-jcy": ["检察院"],
    "sx-jkzx": ["疾控中心", "疾控"],
    "sx-xzfwzx": ["行政服务中心", "办事大厅"],
    "sx-gxs": ["供销社"],
    "sx-tsg": ["图书馆", "绍兴市图书馆"],
    "sx-dag": ["档案馆", "档案局"],
}

# Terms of government data that mean the same to the people searching.
TERMS = [
    ["公交", "公共交通"],
    ["医院", "医疗机构"],
    ["企业", "法人"],
    ["社保", "社会保险"],
    ["医保", "医疗保险"],
    ["公积金", "住房公积金"],
    ["养老院", "养老机构"],
    ["幼儿园", "托幼机构"],
    ["天气", "气象"],
    ["停车场", "停车泊位"],
    ["菜场", "农贸市场"],
    ["厕所", "公厕"],
    ["充电桩", "充电设施"],
    ["低保", "最低生活保障"],
    ["空气质量", "环境空气", "AQI"],
    ["处罚", "行政处罚"],
    ["许可", "行政许可"],
    ["GDP", "地区生产总值"],
    ["CPI", "居民消费价格指数"],
    # The place-name register: smartcn reads 标准地名信息 as 标准/地/名/信息, so 地名 alone would find
    # 星创天地|名录 as readily as the register.
    ["标准地名", "地名"],
]


def _departments() -> tuple[str, list[dict[str, Any]]]:
    text = resources.files("ckanext.govdata.demo").joinpath("data/departments.yaml").read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    return data["city"]["name"], data["departments"]


def groups() -> list[list[str]]:
    """Each group is a set of names or terms that mean one thing, the formal name first."""
    city, departments = _departments()
    found = []
    for department in departments:
        title, short = department["title"], department["short_name"]
        names = [title, title.removeprefix(city), short, short.removeprefix("市")]
        names += COLLOQUIAL.get(department["slug"], [])
        unique = list(dict.fromkeys(name for name in names if len(name) > 1))
        if len(unique) > 1:
            found.append(unique)
    return found + [list(terms) for terms in TERMS]


def managed_resource() -> dict[str, Any]:
    """Solr's stored form of the managed synonyms: each name maps to its whole group (itself
    included, so that the typed name still matches)."""
    mapping: dict[str, list[str]] = {}
    for group in groups():
        for name in group:
            mapping.setdefault(name, [])
            mapping[name] += [other for other in group if other not in mapping[name]]
    return {
        "initArgs": {
            "ignoreCase": True,
            "format": "solr",
            # Rules are split like the query: into CJK bigrams (schema.xml, type text).
            "analyzer": "org.apache.lucene.analysis.cjk.CJKAnalyzer",
        },
        "managedMap": dict(sorted(mapping.items())),
    }


if __name__ == "__main__":
    print(json.dumps(managed_resource(), ensure_ascii=False, indent=1))
