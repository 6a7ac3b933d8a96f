"""Schemas of the access actions; every message names its field in Chinese and English."""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from ckan.lib.navl.dictization_functions import StopOnError, missing
from ckan.logic.schema import validator_args
from ckan.types import Schema

from ckanext.govdata.messages import bilingual

Validator = Callable[..., Any]

APPLICANT_TYPES = ("person", "organisation")
SUBJECT_CONSENTS = ("self", "authorisation")
REVIEW_OUTCOMES = ("pass", "reject", "return")
DECISIONS = ("approve", "reject", "return")
LIST_SCOPES = ("mine", "review")

LABELS: dict[str, tuple[str, str]] = {
    "id": ("申请编号", "Request"),
    "ids": ("申请编号", "Requests"),
    "package_id": ("数据集", "Dataset"),
    "resource_ids": ("申请资源", "Resources"),
    "applicant_type": ("申请主体类型", "Applicant type"),
    "applicant_name": ("申请人（单位）名称", "Applicant name"),
    "credit_code": ("统一社会信用代码", "Unified social credit code"),
    "contact_phone": ("联系电话", "Contact phone"),
    "contact_email": ("联系邮箱", "Contact email"),
    "purpose": ("申请用途", "Purpose"),
    "scenario": ("应用场景", "Use scenario"),
    "period_start": ("使用期限起", "Period from"),
    "period_end": ("使用期限止", "Period to"),
    "fields_needed": ("所需数据项", "Data items needed"),
    "commitments": ("安全承诺", "Security commitments"),
    "agreement_accepted": ("数据使用协议", "Use agreement"),
    "subject_id": ("数据主体证件号码", "Data subject ID number"),
    "subject_consent": ("数据主体授权方式", "Subject consent"),
    "outcome": ("审核结果", "Outcome"),
    "decision": ("审批结果", "Decision"),
    "reason": ("理由", "Reason"),
    "expires_on": ("授权截止日期", "Grant expires on"),
    "scope": ("范围", "Scope"),
    "state": ("状态", "State"),
    "organization_id": ("提供单位", "Department"),
    "date_from": ("起始日期", "From"),
    "date_to": ("截止日期", "To"),
    "format": ("格式", "Format"),
    "today": ("日期", "Day"),
    "year": ("年份", "Year"),
    "day": ("日期", "Day"),
    "is_workday": ("是否工作日", "Working day"),
    "note": ("备注", "Note"),
    "upload": ("日程文件", "Schedule file"),
    "attachments": ("附件", "Attachments"),
    "limit": ("数量上限", "Limit"),
    "offset": ("起始位置", "Offset"),
    "overdue": ("是否逾期", "Overdue"),
    "include_inactive": ("包括失效授权", "Include inactive grants"),
    "submit": ("提交", "Submit"),
}
TRUE_WORDS = ("true", "yes", "on", "1", "t", "y")
FALSE_WORDS = ("false", "no", "off", "0", "f", "n", "")
# Paging bounds: a client cannot ask the database for a negative offset or an unbounded page.
MAX_LIMIT = 1000
MAX_OFFSET = 10_000_000

# GB 32100-2015: 18 characters from this alphabet, the last a weighted mod-31 check character.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
# GB 11643-1999 citizen ID numbers: 17 digits and a mod-11 check character.
ID_NUMBER_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_NUMBER_CHECKS = "10X98765432"
ID_NUMBER_PATTERN = re.compile(r"^[1-9][0-9]{16}[0-9X]$")
PHONE_PATTERN = re.compile(r"^[0-9+()\- ]{5,30}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


def credit_code_check_character(first_17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(char) * weight for char, weight in zip(first_17, CREDIT_CODE_WEIGHTS))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def is_credit_code(value: str) -> bool:
    return bool(CREDIT_CODE_PATTERN.match(value)) and credit_code_check_character(value[:17]) == value[17]


def id_number_check_character(first_17: str) -> str:
    return ID_NUMBER_CHECKS[sum(int(digit) * weight for digit, weight in zip(first_17, ID_NUMBER_WEIGHTS)) % 11]


def is_id_number(value: str) -> bool:
    return bool(ID_NUMBER_PATTERN.match(value)) and id_number_check_character(value[:17]) == value[17]


def _error(field: str, msgid: str, **params: Any) -> str:
    """``msgid`` naming ``field`` in Chinese and English (extracted for translation as ``_error``)."""
    return bilingual(msgid, field=LABELS.get(field, (field, field)), **params)


def _empty(value: Any) -> bool:
    return value is missing or value is None or value == "" or value == []


def required(key: tuple[Any, ...], data: dict[Any, Any], errors: dict[Any, Any], context: Any) -> None:
    if _empty(data.get(key)):
        errors[key].append(_error(key[-1], "{field} is required"))
        raise StopOnError


def choice(values: tuple[str, ...]) -> Validator:
    def validator(key, data, errors, context):
        value = data.get(key)
        if _empty(value):
            return
        if str(value) not in values:
            errors[key].append(_error(key[-1], "Unknown value for {field}: {value}", value=value))
            raise StopOnError

    return validator


def iso_date(key, data, errors, context):
    value = data.get(key)
    if _empty(value) or isinstance(value, dt.date):
        return
    text = str(value).strip()[:10]
    try:
        data[key] = dt.date.fromisoformat(text)
    except ValueError:
        errors[key].append(_error(key[-1], "{field} must be a date like 2024-01-31: {value}", value=value))
        raise StopOnError


def string_list(key, data, errors, context):
    """A list of strings, or one comma-separated string as forms send it."""
    value = data.get(key)
    if _empty(value):
        data[key] = []
        return
    if isinstance(value, str):
        value = [item.strip() for item in value.split(",")]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        errors[key].append(_error(key[-1], "{field} must be a list of names"))
        raise StopOnError
    data[key] = [item.strip() for item in value if item.strip()]


def _as_flag(value: Any) -> bool | None:
    """True or False for a boolean or a word forms and clients send for one; None for anything else."""
    if isinstance(value, bool):
        return value
    if isinstance(value, (str, int)) and str(value).strip().lower() in TRUE_WORDS + FALSE_WORDS:
        return str(value).strip().lower() in TRUE_WORDS
    return None


def flag(key, data, errors, context):
    """A yes/no parameter; anything but a boolean or a yes/no word is refused, naming the field."""
    value = data.get(key)
    if value is missing or value is None:
        return
    data[key] = _as_flag(value)
    if data[key] is None:
        errors[key].append(_error(key[-1], "Unknown value for {field}: {value}", value=value))
        raise StopOnError


def accepted(key, data, errors, context):
    if _as_flag(data.get(key)) is not True:
        errors[key].append(_error(key[-1], "{field} must be accepted"))
        raise StopOnError
    data[key] = True


def whole_number(low: int, high: int) -> Validator:
    def validator(key, data, errors, context):
        value = data.get(key)
        if value is missing or value is None or value == "":
            data.pop(key, None)
            return
        try:
            number = int(str(value).strip()) if not isinstance(value, bool) else None
        except ValueError:
            number = None
        if number is None:
            errors[key].append(_error(key[-1], "{field} must be a whole number: {value}", value=value))
            raise StopOnError
        if not low <= number <= high:
            errors[key].append(_error(key[-1], "{field} must be between {low} and {high}: {value}", low=low, high=high, value=value))
            raise StopOnError
        data[key] = number

    return validator


def max_length(length: int) -> Validator:
    def validator(key, data, errors, context):
        value = data.get(key)
        if isinstance(value, str) and len(value) > length:
            errors[key].append(_error(key[-1], "{field} must be at most {length} characters", length=length))

    return validator


def pattern(regex: re.Pattern[str]) -> Validator:
    def validator(key, data, errors, context):
        value = data.get(key)
        if _empty(value):
            return
        data[key] = str(value).strip()
        if not regex.match(data[key]):
            errors[key].append(_error(key[-1], "{field} is not in a valid format: {value}", value=value))

    return validator


def credit_code(key, data, errors, context):
    value = data.get(key)
    if _empty(value):
        return
    data[key] = str(value).strip().upper()
    if not is_credit_code(data[key]):
        errors[key].append(
            _error(key[-1], "{field} is not a valid unified social credit code (GB 32100): {value}", value=value)
        )


def stripped(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


@validator_args
def request_create_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "package_id": [required, unicode_safe],
        "resource_ids": [string_list],
        "applicant_type": [required, choice(APPLICANT_TYPES)],
        "applicant_name": [required, unicode_safe, stripped, max_length(200)],
        "credit_code": [ignore_missing, unicode_safe, credit_code],
        "contact_phone": [ignore_missing, unicode_safe, pattern(PHONE_PATTERN)],
        "contact_email": [ignore_missing, unicode_safe, pattern(EMAIL_PATTERN)],
        "purpose": [required, unicode_safe, max_length(2000)],
        "scenario": [required, unicode_safe, max_length(2000)],
        "period_start": [required, iso_date],
        "period_end": [required, iso_date],
        "fields_needed": [string_list],
        "commitments": [required, unicode_safe, max_length(4000)],
        "agreement_accepted": [accepted],
        "subject_id": [ignore_missing, unicode_safe, stripped],
        "subject_consent": [ignore_missing, choice(SUBJECT_CONSENTS)],
        "attachments": [ignore_missing],
        "submit": [ignore_missing, flag],
    }


@validator_args
def request_id_schema(unicode_safe) -> Schema:
    return {"id": [required, unicode_safe]}


@validator_args
def request_review_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "id": [required, unicode_safe],
        "outcome": [required, choice(REVIEW_OUTCOMES)],
        "reason": [ignore_missing, unicode_safe, max_length(2000)],
    }


@validator_args
def request_decide_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "id": [required, unicode_safe],
        "decision": [required, choice(DECISIONS)],
        "reason": [ignore_missing, unicode_safe, max_length(2000)],
        "expires_on": [ignore_missing, iso_date],
    }


@validator_args
def request_withdraw_schema(ignore_missing, unicode_safe) -> Schema:
    return {"id": [required, unicode_safe], "reason": [ignore_missing, unicode_safe, max_length(2000)]}


@validator_args
def request_list_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "scope": [ignore_missing, choice(LIST_SCOPES)],
        "state": [ignore_missing, unicode_safe],
        "organization_id": [ignore_missing, unicode_safe],
        "package_id": [ignore_missing, unicode_safe],
        "overdue": [ignore_missing, flag],
        "date_from": [ignore_missing, iso_date],
        "date_to": [ignore_missing, iso_date],
        "limit": [whole_number(1, MAX_LIMIT)],
        "offset": [whole_number(0, MAX_OFFSET)],
    }


@validator_args
def request_counts_schema(ignore_missing, unicode_safe) -> Schema:
    return {"organization_id": [ignore_missing, unicode_safe]}


@validator_args
def ledger_export_schema(ignore_missing) -> Schema:
    schema = request_list_schema()
    schema.pop("scope")
    schema["format"] = [ignore_missing, choice(("xlsx", "csv"))]
    return schema


@validator_args
def grant_list_schema(ignore_missing, unicode_safe) -> Schema:
    return {
        "scope": [ignore_missing, choice(LIST_SCOPES)],
        "package_id": [ignore_missing, unicode_safe],
        "include_inactive": [ignore_missing, flag],
    }


@validator_args
def grant_revoke_schema(ignore_missing, unicode_safe) -> Schema:
    return {"id": [required, unicode_safe], "reason": [required, unicode_safe, max_length(2000)]}


@validator_args
def reminders_schema(ignore_missing) -> Schema:
    return {"today": [ignore_missing, iso_date]}
