"""Objects of the govdata catalogue, created through CKAN's action API."""
from __future__ import annotations

import itertools
from typing import Any

from ckan.tests import factories as ckan_factories
from ckan.tests.helpers import call_action

_sequence = itertools.count(1)


def _next() -> int:
    return next(_sequence)


def sysadmin(**overrides: Any) -> dict[str, Any]:
    return ckan_factories.SysadminWithToken(**overrides)


def user(**overrides: Any) -> dict[str, Any]:
    return ckan_factories.UserWithToken(**overrides)


def site_context() -> dict[str, Any]:
    site_user = call_action("get_site_user", {"ignore_auth": True})
    return {"user": site_user["name"], "ignore_auth": True}


def department(**overrides: Any) -> dict[str, Any]:
    number = _next()
    data = {
        "name": f"dept-{number}",
        "title": f"绍兴市测试局{number}",
        "department_code": f"TEST{number:04d}",
    }
    data.update(overrides)
    return call_action("organization_create", site_context(), **data)


def dataset_fields(owner_org: str, **overrides: Any) -> dict[str, Any]:
    """A valid dataset as a department curator would submit it."""
    number = _next()
    data: dict[str, Any] = {
        "type": "dataset",
        "name": f"dataset-{number}",
        "title": f"绍兴市2023年公交客运量统计{number}",
        "notes": "测试用数据集，用于核对字段。",
        "identifier": f"330600-TEST-{number:06d}",
        "owner_org": owner_org,
        "domain": "transport",
        "open_condition": "unconditional",
        "security_grade": "1",
        "update_frequency": "EVERY_MONTH",
        "issued": "2023-01-15",
        "modified": "2024-06-30",
        "record_count": 1200,
        "data_format": ["CSV", "JSON"],
        "data_items": [
            {"name": "route_no", "name_zh": "线路编号", "type": "string", "length": 10, "key": "true"},
            {"name": "passengers", "name_zh": "客运量", "type": "integer", "length": 12},
        ],
    }
    data.update(overrides)
    return data


def dataset(owner_org: str | None = None, **overrides: Any) -> dict[str, Any]:
    owner = owner_org or department()["id"]
    return call_action("package_create", site_context(), **dataset_fields(owner, **overrides))


def dataservice(owner_org: str | None = None, **overrides: Any) -> dict[str, Any]:
    owner = owner_org or department()["id"]
    data = dataset_fields(owner, type="dataservice", name=f"api-{_next()}")
    data.update(
        {
            "title": "公交实时到站查询接口",
            "api_endpoint": "https://data.sx.gov.cn/api/bus/arrival",
            "api_method": "GET",
            "api_parameters": [{"name": "route_no", "type": "string", "required": "true"}],
        }
    )
    data.update(overrides)
    return call_action("package_create", site_context(), **data)
