"""Importing a directory spreadsheet against creating the same entries one by one.

Baseline: ``package_create`` for each entry, as an API client or the web form does (each one
validated, written, shown, indexed and committed on its own). Ours: the same kind of entries in
one directory spreadsheet, imported through ``govdata_catalogue_import`` (checked first, written
in one transaction, indexed in bulk). Both run in the same process on the same fresh sandbox
(databases and a Solr core of their own); the figure compared is seconds per 1,000 entries
(target: ours at least 5x faster). The re-import of the unchanged file is timed too.

    .venv/bin/python bench/curation.py [--rows 5000] [--baseline-rows 1000] [--profile] [--memory]
"""
from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import sys
import time
import tracemalloc
from pathlib import Path

import openpyxl

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from _sandbox import Sandbox, add_arguments, disconnect  # noqa: E402

CORE = "ckan_curation"
DATABASE = "govdata_curation"
DATASTORE = "govdata_datastore_curation"
REDIS_DB = 12
DEPARTMENTS = 20
DOMAINS = ("交通运输", "医疗卫生", "社保就业", "生态环境", "教育文化")
ITEMS_PER_ENTRY = 3
OFFSET = 500_000


def main() -> None:
    arguments = _arguments()
    sandbox = Sandbox(
        solr=arguments.solr, server=arguments.database, core=CORE, database=DATABASE, datastore=DATASTORE,
        redis_db=REDIS_DB, storage="curation",
    )
    sandbox.run(_setup, lambda: _run(arguments), _teardown, keep=arguments.keep)


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=5000, help="entries in the imported spreadsheet")
    parser.add_argument("--baseline-rows", type=int, default=1000, help="entries created one by one")
    add_arguments(parser)
    parser.add_argument("--profile", action="store_true", help="print a cProfile of the import")
    parser.add_argument("--memory", action="store_true",
                        help="trace the import's peak Python memory (tracemalloc slows it: the times are then not comparable)")
    return parser.parse_args()


def say(text: str) -> None:
    print(text, flush=True)


def _setup(sandbox: Sandbox) -> None:
    say(f"Setting up core {CORE} and databases {DATABASE}, {DATASTORE}")
    sandbox.create_databases()
    sandbox.create_core(CORE)


def _teardown(sandbox: Sandbox) -> None:
    say(f"Removing core {CORE} and databases {DATABASE}, {DATASTORE}")
    disconnect()
    sandbox.unload(CORE)
    sandbox.drop_databases()


def _entry(number: int, department: dict[str, str], prefix: str) -> tuple[dict[str, object], list[dict[str, object]]]:
    """One entry as package_create takes it, with its data items."""
    is_api = number % 5 == 0
    items = [
        {"name": f"field_{index}", "name_zh": f"字段{index}", "type": "string", "length": 20 + index}
        for index in range(ITEMS_PER_ENTRY)
    ]
    data: dict[str, object] = {
        "type": "dataservice" if is_api else "dataset",
        "name": f"{prefix.lower()}-{number:06d}",
        "identifier": f"330600-{prefix}-{number:06d}",
        "title": f"绍兴市{department['title']}第{number}号{'查询接口' if is_api else '数据集'}",
        "notes": "基准测试用目录条目。",
        "owner_org": department["name"],
        "domain": ["transport", "health", "social-security", "environment", "education-culture"][number % 5],
        "open_condition": "unconditional" if number % 3 else "conditional",
        "security_grade": "1" if number % 3 else "2",
        "update_frequency": "EVERY_MONTH",
        "record_count": number * 10,
        "data_format": ["CSV", "JSON"],
        "tag_string": "基准,目录",
        "data_items": items,
    }
    if is_api:
        data["api_endpoint"] = f"https://data.sx.gov.cn/api/bench/{number}"
    return data, items


def _workbook(entries: list[dict[str, object]], titles: dict[str, str]) -> bytes:
    labels = {"transport": "交通运输", "health": "医疗卫生", "social-security": "社保就业", "environment": "生态环境",
              "education-culture": "教育文化"}
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "开放目录"
    sheet.append(["资源代码", "名称", "类型", "网址名", "提供单位", "开放领域", "开放属性", "安全分级", "更新频率", "数据量（条）",
                  "数据格式", "关键字", "摘要", "接口地址"])
    items = book.create_sheet("数据项")
    items.append(["资源代码", "字段名", "中文名称", "类型", "长度"])
    for entry in entries:
        sheet.append([
            entry["identifier"], entry["title"], "API接口" if entry["type"] == "dataservice" else "数据集", entry["name"],
            titles[str(entry["owner_org"])], labels[str(entry["domain"])],
            "无条件开放" if entry["open_condition"] == "unconditional" else "有条件开放",
            "一级（公开）" if entry["security_grade"] == "1" else "二级（内部）", "每月", entry["record_count"], "CSV、JSON",
            "基准、目录", entry["notes"], entry.get("api_endpoint"),
        ])
        for item in entry["data_items"]:  # type: ignore[attr-defined]
            items.append([entry["identifier"], item["name"], item["name_zh"], "字符型", item["length"]])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _run(arguments: argparse.Namespace) -> None:
    import ckan.plugins.toolkit as tk
    from werkzeug.datastructures import FileStorage

    site = tk.get_action("get_site_user")({"ignore_auth": True}, {})["name"]
    departments = [
        tk.get_action("organization_create")(
            {"user": site}, {"name": f"bench-dept-{index}", "title": f"基准测试局{index}", "department_code": f"BENCH{index:03d}"}
        )
        for index in range(DEPARTMENTS)
    ]
    titles = {department["name"]: department["title"] for department in departments}

    say(f"Baseline: package_create one by one, {arguments.baseline_rows} entries")
    started = time.perf_counter()
    for number in range(arguments.baseline_rows):
        data, _items = _entry(number, departments[number % DEPARTMENTS], "BASE")
        tk.get_action("package_create")({"user": site}, data)
    baseline = time.perf_counter() - started

    # Numbered after the baseline's: the same titles would be refused as likely duplicates.
    entries = [_entry(OFFSET + number, departments[number % DEPARTMENTS], "SHEET")[0] for number in range(arguments.rows)]
    content = _workbook(entries, titles)
    say(f"Ours: govdata_catalogue_import of a {arguments.rows}-row directory ({len(content) / 1e6:.1f} MB xlsx, "
        f"{arguments.rows * ITEMS_PER_ENTRY} data items)")
    if arguments.memory:
        tracemalloc.start()
    profile = cProfile.Profile() if arguments.profile else None
    started = time.perf_counter()
    if profile:
        profile.enable()
    report = tk.get_action("govdata_catalogue_import")(
        {"user": site}, {"upload": FileStorage(io.BytesIO(content), filename="bench.xlsx")}
    )
    ours = time.perf_counter() - started
    if profile:
        profile.disable()
        pstats.Stats(profile).sort_stats("tottime").print_stats(30)
    peak = tracemalloc.get_traced_memory()[1] if arguments.memory else None
    tracemalloc.stop()
    assert report["written"] and len(report["created"]) == arguments.rows, report["problems"][:5]

    started = time.perf_counter()
    again = tk.get_action("govdata_catalogue_import")(
        {"user": site}, {"upload": FileStorage(io.BytesIO(content), filename="bench.xlsx")}
    )
    reimport = time.perf_counter() - started
    assert len(again["unchanged"]) == arguments.rows

    per_baseline = baseline / arguments.baseline_rows * 1000
    per_ours = ours / arguments.rows * 1000
    per_reimport = reimport / arguments.rows * 1000
    say("")
    say(f"{'':34}{'s per 1,000 entries':>20}{'entries/s':>12}")
    say(f"{'package_create one by one':34}{per_baseline:>20.2f}{1000 / per_baseline:>12.0f}")
    say(f"{'import (new entries)':34}{per_ours:>20.2f}{1000 / per_ours:>12.0f}")
    say(f"{'re-import (all unchanged)':34}{per_reimport:>20.2f}{1000 / per_reimport:>12.0f}")
    say("")
    say(f"import vs one by one: {per_baseline / per_ours:.2f}x faster (target >= 5x: "
        f"{'met' if per_baseline / per_ours >= 5 else 'MISSED'})")
    if peak is not None:
        say(f"peak Python memory of the import {peak / 1e6:.0f} MB")


if __name__ == "__main__":
    main()
