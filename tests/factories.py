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


def member(department_id: str, role: str = "editor", **overrides: Any) -> dict[str, Any]:
    """A new user holding ``role`` (member, editor, admin) in the department."""
    person = user(**overrides)
    call_action(
        "organization_member_create", site_context(), id=department_id, username=person["name"], role=role
    )
    return person


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


def link_resource(**overrides: Any) -> dict[str, Any]:
    """A resource linking to a file elsewhere, as ``package_create`` takes it."""
    data = {"name": "公交客运量.csv", "url": f"https://data.sx.gov.cn/files/bus-{_next()}.csv", "format": "CSV"}
    data.update(overrides)
    return data


def dataset_with_data(owner_org: str | None = None, **overrides: Any) -> dict[str, Any]:
    """A dataset that serves data (数据目录100%挂载): it carries a linked file."""
    overrides.setdefault("resources", [link_resource()])
    return dataset(owner_org, **overrides)


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


def uploaded_resource(package_id: str, content: bytes = b"route_no,passengers\n1,1200\n",
                      filename: str = "data.csv", **fields: Any) -> dict[str, Any]:
    """A file uploaded to CKAN's storage as a resource of ``package_id``."""
    from io import BytesIO

    from werkzeug.datastructures import FileStorage

    upload = FileStorage(BytesIO(content), filename=filename, content_type="text/csv")
    data = {"package_id": package_id, "name": filename, "format": "CSV", "url": filename, "upload": upload}
    data.update(fields)
    return call_action("resource_create", site_context(), **data)


def datastore_resource(package_id: str, records: list[dict[str, Any]] | None = None,
                       **fields: Any) -> dict[str, Any]:
    """A datastore table (and its resource) in ``package_id``; returns the resource."""
    rows = records if records is not None else [
        {"credit_code": "91330600MA2BC0JX1X", "company": "绍兴甲公司", "tax_paid": 100},
        {"credit_code": "91330600MA2BC0KY2Y", "company": "绍兴乙公司", "tax_paid": 200},
    ]
    resource = {"package_id": package_id, "name": "数据表", "format": "CSV"}
    resource.update(fields)
    created = call_action("datastore_create", site_context(), resource=resource, records=rows, force=True)
    return call_action("resource_show", site_context(), id=created["resource_id"])


def conditional_dataset(owner_org: str | None = None, **overrides: Any) -> dict[str, Any]:
    """A conditional (依申请开放) dataset with an uploaded file and a datastore table."""
    fields = {"open_condition": "conditional", "data_subject_type": "enterprise", "subject_id_column": "credit_code"}
    fields.update(overrides)
    created = dataset(owner_org, **fields)
    uploaded_resource(created["id"])
    datastore_resource(created["id"])
    return call_action("package_show", site_context(), id=created["id"])


def grant(user_id: str, package_id: str, **overrides: Any) -> dict[str, Any]:
    """An access grant made directly (the request cycle has its own tests); valid from today."""
    import datetime as dt

    from ckan import model

    from ckanext.govdata.calendar import workdays
    from ckanext.govdata.grants import AccessGrant

    today = workdays.today()
    values: dict[str, Any] = {
        "user_id": user_id,
        "package_id": package_id,
        "resource_ids": [],
        "starts_on": today,
        "expires_on": today + dt.timedelta(days=30),
    }
    values.update(overrides)
    record = AccessGrant(**values)
    model.Session.add(record)
    model.Session.commit()
    return {"id": record.id, **values}


# --- Showcases, scenarios and contests (govdata_showcase) ------------------------------------


def image_upload(width: int = 800, height: int = 600, image_format: str = "PNG", filename: str | None = None) -> Any:
    """An image file as a browser or API client uploads it."""
    import io

    from PIL import Image
    from werkzeug.datastructures import FileStorage

    data = io.BytesIO()
    Image.new("RGB", (width, height), (30, 120, 200)).save(data, format=image_format)
    data.seek(0)
    extension = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif", "BMP": "bmp"}[image_format]
    return FileStorage(stream=data, filename=filename or f"screen.{extension}", content_type=f"image/{extension}")


def showcase_fields(**overrides: Any) -> dict[str, Any]:
    number = _next()
    data: dict[str, Any] = {
        "title": f"绍兴公交到站提醒小程序{number}",
        "notes": "基于公交实时到站接口的提醒工具。",
        "category": "mini-program",
        "author": "越州数据工作室",
        "url": "https://example.com/bus",
        "release_date": "2026-05-20",
    }
    data.update(overrides)
    return data


def showcase(author: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    """A showcase submitted by ``author`` (a new user if not given); it awaits moderation."""
    submitter = author or user()
    return call_action(
        "govdata_showcase_create", {"user": submitter["name"], "ignore_auth": False}, **showcase_fields(**overrides)
    )


def published_showcase(author: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    created = showcase(author, **overrides)
    return call_action("govdata_showcase_moderate", site_context(), id=created["id"], decision="published")["showcase"]


def credit_code(first_17: str = "91330600MA2BC0JX1") -> str:
    """A unified social credit code with its GB 32100 check character."""
    from ckanext.govdata.validators.rules import credit_code_check_character

    return first_17 + credit_code_check_character(first_17)


def request_fields(package_id: str, **overrides: Any) -> dict[str, Any]:
    """A complete request for the data of ``package_id`` by an organisation that is its subject."""
    import datetime as dt

    from ckanext.govdata.calendar import workdays

    today = workdays.today()
    code = credit_code()
    data: dict[str, Any] = {
        "package_id": package_id,
        "applicant_type": "organisation",
        "applicant_name": "绍兴甲公司",
        "credit_code": code,
        "contact_phone": "0575-88888888",
        "purpose": "核对本企业纳税信用记录",
        "scenario": "企业信用自查",
        "period_start": today.isoformat(),
        "period_end": (today + dt.timedelta(days=90)).isoformat(),
        "fields_needed": [],
        "commitments": "仅用于申请用途，不向第三方提供。",
        "agreement_accepted": True,
        "subject_id": code,
        "subject_consent": "self",
    }
    data.update(overrides)
    return data


def access_request(applicant: dict[str, Any], package_id: str, **overrides: Any) -> dict[str, Any]:
    """A request created (and by default submitted) by ``applicant`` through the action API."""
    data = request_fields(package_id, **overrides)
    data.setdefault("submit", True)
    return call_action("govdata_access_request_create", {"user": applicant["name"], "ignore_auth": False}, **data)


def approved_request(applicant: dict[str, Any], package_id: str, **overrides: Any) -> dict[str, Any]:
    """A request taken through the platform check and the department's approval by a sysadmin."""
    request = access_request(applicant, package_id, **overrides)
    staff = {"user": sysadmin()["name"], "ignore_auth": False}
    call_action("govdata_access_request_review", dict(staff), id=request["id"], outcome="pass")
    return call_action("govdata_access_request_decide", dict(staff), id=request["id"], decision="approve")


def contest_dates(*, registration: int = 0, submission: int = 0, review: int = 0) -> dict[str, str]:
    """Phase dates around today: each phase is open when its offset is 0, over when negative,
    still to come when positive."""
    import datetime as dt

    from ckanext.govdata.showcase import contests

    today = contests.today()

    def window(offset: int) -> tuple[str, str]:
        if offset < 0:
            return (today + dt.timedelta(days=10 * offset - 5)).isoformat(), (today + dt.timedelta(days=10 * offset)).isoformat()
        if offset > 0:
            return (today + dt.timedelta(days=10 * offset)).isoformat(), (today + dt.timedelta(days=10 * offset + 5)).isoformat()
        return (today - dt.timedelta(days=1)).isoformat(), (today + dt.timedelta(days=1)).isoformat()

    dates: dict[str, str] = {}
    for phase, offset in (("registration", registration), ("submission", submission), ("review", review)):
        dates[f"{phase}_opens"], dates[f"{phase}_closes"] = window(offset)
    dates["results_date"] = dates["review_closes"]
    return dates


def contest(**overrides: Any) -> dict[str, Any]:
    """A contest with every phase open today (so a test can run it end to end) unless dates are given."""
    number = _next()
    data: dict[str, Any] = {
        "name": f"contest-{number}",
        "title": f"2026绍兴数据开放创新应用大赛{number}",
        "year": 2026,
        "description": "用开放数据解决城市问题。",
        "rules_url": "https://data.sx.gov.cn/contest/rules.pdf",
        "tracks": [
            {"name": "city", "title": "城市治理赛道"},
            {"name": "livelihood", "title": "民生服务赛道"},
        ],
        "criteria": [
            {"name": "innovation", "title": "创新性", "max": 40},
            {"name": "value", "title": "应用价值", "max": 60},
        ],
        **contest_dates(),
    }
    data.update(overrides)
    return call_action("govdata_contest_create", site_context(), **data)


def contest_team(contest_id: str, leader: dict[str, Any] | None = None, **overrides: Any) -> dict[str, Any]:
    captain = leader or user()
    data: dict[str, Any] = {"contest": contest_id, "name": f"队伍{_next()}", "organisation": "绍兴文理学院", "track": "city", "members": ["张三", "李四"]}
    data.update(overrides)
    return call_action("govdata_contest_team_register", {"user": captain["name"], "ignore_auth": False}, **data)


def contest_entry(team_id: str, member: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    return call_action(
        "govdata_contest_entry_submit", {"user": member["name"], "ignore_auth": False}, team=team_id, **showcase_fields(**overrides)
    )


def demand_fields(**overrides: Any) -> dict[str, Any]:
    """A complete data demand (数据需求) as a member of the public would submit it."""
    data: dict[str, Any] = {
        "title": f"全市电动汽车充电桩位置及空闲状态{_next()}",
        "description": "需要充电桩编号、经纬度、所属运营商、快慢充类型和实时空闲状态，按日更新，CSV 或接口均可。",
        "purpose": "开发充电导航小程序，方便市民就近充电。",
        "domain": "transport",
        "contact_name": "李明",
        "contact_phone": "13800138000",
        "contact_email": "liming@example.com",
    }
    data.update(overrides)
    return data


def demand(requester: dict[str, Any], **overrides: Any) -> dict[str, Any]:
    """A demand submitted by ``requester`` through the action API."""
    return call_action("govdata_demand_create", {"user": requester["name"], "ignore_auth": False},
                       **demand_fields(**overrides))


def routed_demand(requester: dict[str, Any], department_id: str, **overrides: Any) -> dict[str, Any]:
    """A demand routed to ``department_id`` by bureau staff."""
    submitted = demand(requester, **overrides)
    bureau = {"user": sysadmin()["name"], "ignore_auth": False}
    return call_action("govdata_demand_route", bureau, id=submitted["id"], organization_id=department_id)
