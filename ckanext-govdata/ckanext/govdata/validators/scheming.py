"""The ``govdata_*`` validators the scheming schemas name; each refusal names the field (its
schema label) in Chinese and English. The checks themselves are in ``rules``."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ckan import model
from ckan.lib.navl.dictization_functions import Invalid, StopOnError, missing
from ckanext.scheming.validation import scheming_validator

from ckanext.govdata import vocabularies
from ckanext.govdata.messages import bilingual
from ckanext.govdata.validators import grades, rules

Validator = Callable[..., Any]

def field_label(field: dict[str, Any]) -> tuple[str, str]:
    """A scheming field's (Chinese, English) label."""
    label = field.get("label") or field.get("field_name", "")
    if isinstance(label, dict):
        return label.get("zh_Hans_CN") or label.get("en", ""), label.get("en", "")
    return label, label


def _error(field: dict[str, Any], msgid: str, **params: Any) -> Invalid:
    return Invalid(bilingual(msgid, field=field_label(field), **params))


def checked(field: dict[str, Any], check: Callable[[Any], Any], skip_empty: bool = True) -> Validator:
    """A validator giving ``check(value)``; a refusal names ``field``. Empty values pass."""

    def validator(value):
        if skip_empty and rules.is_empty(value):
            return value
        try:
            return check(value)
        except rules.RuleError as refused:
            raise _error(field, refused.msgid, **refused.params) from None

    return validator


def required(field: dict[str, Any]) -> Validator:
    """A validator refusing an empty value, naming ``field``."""

    def validator(key, data, errors, context):
        if rules.is_empty(data.get(key)):
            errors[key].append(_error(field, "{field} is required").error)
            raise StopOnError

    return validator


@scheming_validator
def govdata_required(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    return required(field)


@scheming_validator
def govdata_max_length(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """Text of at most the field's ``max_length`` characters; the search index cannot take
    a title of tens of thousands of characters (Solr refuses terms over 32 kB)."""
    length = int(field.get("max_length", 500))

    return checked(field, lambda value: rules.check_max_length(value, length), skip_empty=False)


@scheming_validator
def govdata_choice(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """The value (or each value of a list) must be in the field's vocabulary section."""
    section = field["vocabulary"]

    return checked(field, lambda value: rules.check_choice(value, vocabularies.values(section), many=True))


@scheming_validator
def govdata_date(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """An ISO date, kept as ``YYYY-MM-DD`` text."""

    return checked(field, lambda value: rules.parse_date(value).isoformat())


@scheming_validator
def govdata_non_negative_int(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    return checked(field, lambda value: rules.parse_whole_number(value, low=0))


@scheming_validator
def govdata_pattern(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """Checks the field against one of the named formats: identifier, field_name, email, phone."""
    patterns = {
        "identifier": rules.IDENTIFIER_PATTERN,
        "field_name": rules.FIELD_NAME_PATTERN,
        "email": rules.EMAIL_PATTERN,
        "phone": rules.PHONE_PATTERN,
        "department_code": rules.DEPARTMENT_CODE_PATTERN,
    }
    pattern = patterns[field["format"]]

    return checked(field, lambda value: rules.check_pattern(value, pattern))


def _extra_taken(entity: type[model.Package | model.Group], key: str, value: str, own_id: Any) -> bool:
    """Whether another live package or group stores ``value`` under extra ``key``."""
    query = (
        model.Session.query(entity.id)
        .filter(entity.extras[key].astext == value)
        .filter(entity.state != "deleted")
    )
    if own_id and own_id is not missing:
        query = query.filter(entity.id != own_id)
    return model.Session.query(query.exists()).scalar()


def _unique_extra(entity: type[model.Package | model.Group], msgid: str) -> Callable[..., Validator]:
    @scheming_validator
    def unique(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
        def validator(key, data, errors, context):
            value = data.get(key)
            if rules.is_empty(value):
                return
            if _extra_taken(entity, field["field_name"], value, data.get(("id",))):
                errors[key].append(_error(field, msgid, value=value).error)

        return validator

    return unique


govdata_unique_identifier = _unique_extra(
    model.Package, "{field} is already used by another dataset: {value}"
)
govdata_unique_department_code = _unique_extra(
    model.Group, "{field} is already used by another department: {value}"
)


@scheming_validator
def govdata_dataset_references(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """A list of dataset names or ids that must exist (the datasets an API serves)."""

    def validator(value):
        if rules.is_empty(value):
            return []
        names = value if isinstance(value, list) else rules.split_names(str(value))
        for name in names:
            if model.Package.get(name) is None:
                raise _error(field, "{field} names a dataset that does not exist: {value}", value=name)
        return names

    return validator


@scheming_validator
def govdata_grade_bound(field: dict[str, Any], schema: dict[str, Any]) -> Validator:
    """On ``security_grade``: the open condition must be one the grade allows (validators.grades).

    The refusal is given on ``open_condition``, naming the grade, when the schema has that field.
    """
    condition_field = next((f for f in schema.get("dataset_fields", []) if f["field_name"] == "open_condition"), field)

    def validator(key, data, errors, context):
        grade, condition = data.get(key), data.get(("open_condition",))
        if rules.is_empty(grade) or rules.is_empty(condition) or errors.get(key):
            return
        refused = grades.refusal(str(grade), str(condition), field_label(condition_field))
        if refused:
            errors.setdefault(("open_condition",), []).append(refused)

    return validator


def govdata_int_output(value: Any) -> Any:
    """Numbers are stored as text in package extras; give them back as numbers."""
    if isinstance(value, str) and value.strip().lstrip("-").isdigit():
        return int(value)
    return value


def all_validators() -> dict[str, Validator]:
    return {
        "govdata_required": govdata_required,
        "govdata_max_length": govdata_max_length,
        "govdata_choice": govdata_choice,
        "govdata_date": govdata_date,
        "govdata_non_negative_int": govdata_non_negative_int,
        "govdata_pattern": govdata_pattern,
        "govdata_unique_identifier": govdata_unique_identifier,
        "govdata_unique_department_code": govdata_unique_department_code,
        "govdata_dataset_references": govdata_dataset_references,
        "govdata_int_output": govdata_int_output,
        "govdata_grade_bound": govdata_grade_bound,
    }
