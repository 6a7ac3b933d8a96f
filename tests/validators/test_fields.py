"""The shared action-schema validators: normalised values, and refusals that name the field in
Chinese and English through the zh_Hans_CN catalogue."""
from __future__ import annotations

import datetime as dt

import pytest
from ckan.lib.navl.dictization_functions import validate
from ckan.lib.navl.validators import unicode_safe

from ckanext.govdata.validators import Fields, rules

FIELDS = Fields({"package_id": "Dataset", "period_end": "Period to", "limit": "Limit", "credit_code": "Unified social credit code"})


def _run(schema, data):
    return validate(data, schema, {})


def test_required_names_the_field_in_both_languages():
    _, errors = _run({"package_id": [FIELDS.required, unicode_safe]}, {"package_id": "  "})

    assert errors == {"package_id": ["数据集为必填项 / Dataset is required"]}


def test_a_field_without_a_label_is_named_by_its_parameter():
    _, errors = _run({"other": [FIELDS.required]}, {})

    assert errors["other"][0].endswith("other is required")


@pytest.mark.parametrize(("given", "stored"), [("2026-01-31", dt.date(2026, 1, 31)), ("2026-01-31T08:00:00", dt.date(2026, 1, 31))])
def test_iso_date_is_stored_as_a_date(given, stored):
    data, errors = _run({"period_end": [FIELDS.iso_date]}, {"period_end": given})

    assert not errors
    assert data["period_end"] == stored


def test_a_bad_date_names_the_field_and_the_value():
    _, errors = _run({"period_end": [FIELDS.iso_date]}, {"period_end": "31/01/2026"})

    message = errors["period_end"][0]
    assert "Period to must be a date like 2024-01-31: 31/01/2026" in message
    assert message.startswith("使用期限止")


@pytest.mark.parametrize(("given", "ok"), [("5", True), (5, True), ("0", False), ("1001", False), ("x", False), (True, False)])
def test_whole_number_within_bounds(given, ok):
    data, errors = _run({"limit": [FIELDS.whole_number(1, 1000)]}, {"limit": given})

    assert (not errors) is ok
    if ok:
        assert data["limit"] == int(given)


def test_an_empty_whole_number_counts_as_missing():
    data, errors = _run({"limit": [FIELDS.whole_number(1, 1000)]}, {"limit": ""})

    assert not errors
    assert "limit" not in data


def test_choice_and_flag_refuse_unknown_words():
    schema = {"scope": [FIELDS.choice(("mine", "review"))], "overdue": [FIELDS.flag]}

    data, errors = _run(schema, {"scope": "review", "overdue": "yes"})
    assert not errors and data == {"scope": "review", "overdue": True}

    _, errors = _run(schema, {"scope": "all", "overdue": "maybe"})
    assert "Unknown value for scope: all" in errors["scope"][0]
    assert "Unknown value for overdue: maybe" in errors["overdue"][0]


def test_credit_code_checks_the_gb_32100_check_character():
    first_17 = "91330600MA2BDX5C1"
    good = first_17 + rules.credit_code_check_character(first_17)
    bad = first_17 + ("0" if good[-1] != "0" else "1")

    data, errors = _run({"credit_code": [FIELDS.credit_code]}, {"credit_code": good.lower()})
    assert not errors and data["credit_code"] == good

    _, errors = _run({"credit_code": [FIELDS.credit_code]}, {"credit_code": bad})
    assert "GB 32100" in errors["credit_code"][0]


def test_string_list_takes_a_comma_separated_string_or_a_list():
    schema = {"fields_needed": [FIELDS.string_list]}

    assert _run(schema, {"fields_needed": " a, b ,,c"})[0]["fields_needed"] == ["a", "b", "c"]
    assert _run(schema, {"fields_needed": ["a", " b "]})[0]["fields_needed"] == ["a", "b"]
    assert _run(schema, {"fields_needed": [1, 2]})[1]["fields_needed"]
