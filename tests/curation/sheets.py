"""Directory spreadsheets as staff fill them in: built cell by cell with openpyxl, read back
the same way, and sent through the import action as an upload."""
from __future__ import annotations

import io
from typing import Any

import openpyxl
from ckan import model
from ckan.tests.helpers import call_action
from werkzeug.datastructures import FileStorage

ENTRY_HEADERS = ["资源代码", "名称", "类型", "提供单位", "开放领域", "开放属性", "安全分级", "更新频率", "数据量（条）", "关键字",
                 "数据格式", "发布日期", "联系电话", "摘要", "接口地址"]
ITEM_HEADERS = ["资源代码", "字段名", "中文名称", "类型", "长度", "主键"]


def entry(code: str, department: str, **cells: Any) -> dict[str, Any]:
    """One row of the entries sheet, by Chinese header: a valid dataset unless ``cells`` say otherwise."""
    row = {
        "资源代码": code, "名称": f"绍兴市公交站点信息{code}", "类型": "数据集", "提供单位": department,
        "开放领域": "交通运输", "开放属性": "无条件开放", "安全分级": "一级（公开）", "更新频率": "每月",
        "数据量（条）": 1200, "关键字": "公交、站点", "数据格式": "CSV、JSON", "发布日期": "2024-01-31",
        "联系电话": "+86 575 8512 3456", "摘要": "-全市公交站点的位置与线路。", "接口地址": None,
    }
    row.update(cells)
    return row


def item(code: str, name: str, **cells: Any) -> dict[str, Any]:
    row = {"资源代码": code, "字段名": name, "中文名称": f"{name}中文", "类型": "字符型", "长度": 20, "主键": "否"}
    row.update(cells)
    return row


def workbook(entries: list[dict[str, Any]], items: list[dict[str, Any]] | None = None,
             entry_headers: list[str] | None = None) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "开放目录"
    headers = entry_headers or ENTRY_HEADERS
    sheet.append(headers)
    for row in entries:
        sheet.append([row.get(header) for header in headers])
    if items is not None:
        item_sheet = book.create_sheet("数据项")
        item_sheet.append(ITEM_HEADERS)
        for row in items:
            item_sheet.append([row.get(header) for header in ITEM_HEADERS])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def rows(content: bytes, sheet: str = "开放目录") -> list[dict[str, Any]]:
    """A workbook's sheet as dicts by header."""
    book = openpyxl.load_workbook(io.BytesIO(content))
    values = list(book[sheet].iter_rows(values_only=True))
    return [dict(zip(values[0], row, strict=False)) for row in values[1:]]


def upload(content: bytes, filename: str = "目录.xlsx") -> FileStorage:
    return FileStorage(io.BytesIO(content), filename=filename)


def import_as(user: dict[str, Any] | str, content: bytes, filename: str = "目录.xlsx", **params: Any) -> dict[str, Any]:
    name = user if isinstance(user, str) else user["name"]
    context = {"user": name, "ignore_auth": False}
    return call_action("govdata_catalogue_import", context, upload=upload(content, filename), **params)


def by_code(code: str) -> list[dict[str, Any]]:
    """Every live catalogue entry carrying resource code ``code``."""
    model.Session.remove()
    ids = model.Session.query(model.Package.id).filter(
        model.Package.extras["identifier"].astext == code, model.Package.state != "deleted"
    )
    return [call_action("package_show", {"ignore_auth": True}, id=package_id) for (package_id,) in ids]
