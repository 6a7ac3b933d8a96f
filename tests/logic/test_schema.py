"""The dataset, data-service and department schemas: good input is kept, bad input is refused
field by field, in Chinese and English, and nothing is written."""
from __future__ import annotations

import pytest
from ckan import model
from ckan.logic import ValidationError
from ckan.tests.helpers import call_action

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _package_count() -> int:
    return model.Session.query(model.Package).filter(model.Package.state == "active").count()


def test_dataset_round_trips_every_catalogue_field(department):
    created = factories.dataset(department["id"], resource_library="theme-transport", catalogue_class="公交客运")

    shown = call_action("package_show", id=created["id"])
    assert shown["type"] == "dataset"
    assert shown["domain"] == "transport"
    assert shown["open_condition"] == "unconditional"
    assert shown["record_count"] == 1200
    assert shown["issued"] == "2023-01-15"
    assert shown["data_format"] == ["CSV", "JSON"]
    assert shown["resource_library"] == "theme-transport"
    assert shown["catalogue_class"] == "公交客运"
    assert [item["name"] for item in shown["data_items"]] == ["route_no", "passengers"]
    assert shown["data_items"][0]["name_zh"] == "线路编号"
    assert shown["data_items"][0]["key"] == "true"
    assert shown["data_items"][1]["key"] == "false"
    assert shown["data_subject_type"] == "none"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("domain", "astrology"),
        ("open_condition", "sometimes"),
        ("update_frequency", "HOURLY"),
        ("security_grade", "9"),
        ("resource_library", "nowhere"),
        ("issued", "2023-13-45"),
        ("modified", "last tuesday"),
        ("record_count", -5),
        ("record_count", "many"),
        ("identifier", "空 格"),
        ("contact_email", "not-an-email"),
    ],
)
def test_bad_value_names_the_field_and_writes_nothing(department, field, value):
    before = _package_count()
    data = factories.dataset_fields(department["id"], **{field: value})

    with pytest.raises(ValidationError) as raised:
        call_action("package_create", **data)

    errors = raised.value.error_dict
    assert list(errors) == [field]
    message = errors[field][0]
    assert " / " in message, "errors carry Chinese then English"
    chinese, english = message.split(" / ", 1)
    assert any("\u4e00" <= char <= "\u9fff" for char in chinese)
    assert str(value) in english
    assert _package_count() == before


def test_missing_required_fields_are_each_named(department):
    data = {"type": "dataset", "name": "incomplete", "owner_org": department["id"]}

    with pytest.raises(ValidationError) as raised:
        call_action("package_create", **data)

    errors = raised.value.error_dict
    for field in ("title", "identifier", "domain", "open_condition", "security_grade", "update_frequency"):
        assert field in errors, field
    assert errors["domain"] == ["开放领域为必填项 / Domain is required"]
    assert model.Package.get("incomplete") is None


def test_bad_data_item_is_reported_inside_the_repeating_field(department):
    items = [{"name": "ok_field"}, {"name": "bad name!", "type": "colour"}]
    data = factories.dataset_fields(department["id"], data_items=items)

    with pytest.raises(ValidationError) as raised:
        call_action("package_create", **data)

    item_errors = raised.value.error_dict["data_items"]
    assert item_errors[0] == {}
    assert set(item_errors[1]) == {"name", "type"}


def test_update_with_bad_value_keeps_the_stored_dataset(department):
    created = factories.dataset(department["id"])

    with pytest.raises(ValidationError):
        call_action("package_patch", factories.site_context(), id=created["id"], domain="astrology", title="改了")

    shown = call_action("package_show", id=created["id"])
    assert shown["domain"] == "transport"
    assert shown["title"] == created["title"]


def test_identifier_must_be_unique(department):
    first = factories.dataset(department["id"])

    with pytest.raises(ValidationError) as raised:
        factories.dataset(department["id"], identifier=first["identifier"])

    assert "identifier" in raised.value.error_dict
    # Updating a dataset keeps its own identifier.
    call_action("package_patch", factories.site_context(), id=first["id"], title="新标题")


def test_dataservice_carries_endpoint_parameters_and_served_datasets(department):
    served = factories.dataset(department["id"])
    api = factories.dataservice(department["id"], served_datasets=[served["name"]])

    shown = call_action("package_show", id=api["id"])
    assert shown["type"] == "dataservice"
    assert shown["api_endpoint"] == "https://data.sx.gov.cn/api/bus/arrival"
    assert shown["api_parameters"][0]["name"] == "route_no"
    assert shown["served_datasets"] == [served["name"]]


def test_dataservice_refuses_unknown_served_dataset_and_missing_endpoint(department):
    data = factories.dataset_fields(department["id"], type="dataservice", served_datasets=["no-such-dataset"])

    with pytest.raises(ValidationError) as raised:
        call_action("package_create", **data)

    assert {"served_datasets", "api_endpoint"} <= set(raised.value.error_dict)


def test_department_code_is_required_and_unique():
    factories.department(department_code="JTJ")

    with pytest.raises(ValidationError) as raised:
        factories.department(department_code="JTJ")
    assert "department_code" in raised.value.error_dict

    with pytest.raises(ValidationError) as raised:
        call_action("organization_create", name="no-code", title="无编码单位")
    assert "department_code" in raised.value.error_dict


def test_http_api_answers_409_with_field_errors(app, department):
    admin = factories.sysadmin()
    data = factories.dataset_fields(department["id"], domain="astrology", record_count=-1)

    response = app.post(
        "/api/3/action/package_create",
        json=data,
        headers={"Authorization": admin["token"]},
        status=409,
    )

    body = response.json
    assert body["success"] is False
    assert body["error"]["__type"] == "Validation Error"
    assert set(body["error"]) == {"__type", "domain", "record_count"}
    assert _package_count() == 0


@pytest.mark.ckan_config("ckanext.govdata.vocabularies_file", "")
def test_bureau_replaces_the_domain_list_by_configuration(department, tmp_path, ckan_config, monkeypatch):
    custom = tmp_path / "vocabularies.yaml"
    custom.write_text(
        "domains:\n  - {value: tourism, zh_Hans_CN: 文化旅游, en: Culture & tourism}\n",
        encoding="utf-8",
    )
    monkeypatch.setitem(ckan_config, "ckanext.govdata.vocabularies_file", str(custom))

    factories.dataset(department["id"], domain="tourism")
    with pytest.raises(ValidationError) as raised:
        factories.dataset(department["id"], domain="transport")
    assert "domain" in raised.value.error_dict
    # Sections the bureau did not override keep their defaults.
    factories.dataset(department["id"], domain="tourism", open_condition="conditional")
