"""The checks every validator of the package shares, free of CKAN's validator calling styles.

Each ``parse_*``/``check_*`` returns the normalised value or raises :class:`RuleError` carrying
an English msgid with a ``{field}`` placeholder; the callers (action schemas in ``fields``,
scheming validators in ``scheming``) fill in the field's label in Chinese and English.
"""
from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from typing import Any

from ckan.lib.navl.dictization_functions import missing

IDENTIFIER_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]{1,99}$")
DEPARTMENT_CODE_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{1,31}$")
FIELD_NAME_PATTERN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]{0,62}$")
EMAIL_PATTERN = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
PHONE_PATTERN = re.compile(r"^[0-9+()\- ]{5,30}$")
URL_NAME_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]{1,99}$")
HTTP_URL_PATTERN = re.compile(r"^https?://[^\s/$.?#][^\s]*$")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")

TRUE_WORDS = ("true", "yes", "on", "1", "t", "y")
FALSE_WORDS = ("false", "no", "off", "0", "f", "n", "")

# GB 32100-2015 unified social credit code and GB 11643-1999 citizen ID number.
CREDIT_CODE_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
CREDIT_CODE_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CREDIT_CODE_PATTERN = re.compile(r"^[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}$")
ID_NUMBER_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_NUMBER_CHECKS = "10X98765432"
ID_NUMBER_PATTERN = re.compile(r"^[1-9][0-9]{16}[0-9X]$")


class RuleError(ValueError):
    """A refused value: ``msgid`` (with ``{field}``) and its parameters."""

    def __init__(self, msgid: str, **params: Any) -> None:
        super().__init__(msgid)
        self.msgid = msgid
        self.params = params


def is_empty(value: Any) -> bool:
    """Nothing given: missing, None, blank text or an empty list or dict."""
    if isinstance(value, str):
        return not value.strip()
    return value is missing or value is None or (isinstance(value, (list, dict)) and not value)


def parse_date(value: Any) -> dt.date:
    """An ISO date (``2024-01-31``, or the date part of an ISO date-time)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = str(value).strip()
    try:
        if len(text) > 10 and text[10] not in "T ":
            raise ValueError(text)
        return dt.date.fromisoformat(text[:10])
    except ValueError:
        raise RuleError("{field} must be a date like 2024-01-31: {value}", value=text) from None


def parse_whole_number(value: Any, low: int | None = None, high: int | None = None) -> int:
    number = None
    if not isinstance(value, bool):
        try:
            number = int(str(value).strip())
        except ValueError:
            number = None
    if number is None:
        raise RuleError("{field} must be a whole number: {value}", value=value)
    if high is None and low == 0 and number < 0:
        raise RuleError("{field} must not be negative: {value}", value=value)
    if (low is not None and number < low) or (high is not None and number > high):
        raise RuleError("{field} must be between {low} and {high}: {value}", low=low, high=high, value=value)
    return number


def parse_flag(value: Any) -> bool:
    """A boolean, or a word for one as forms and clients send it."""
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower() if isinstance(value, (str, int)) else None
    if word is None or word not in TRUE_WORDS + FALSE_WORDS:
        raise RuleError("Unknown value for {field}: {value}", value=value)
    return word in TRUE_WORDS


def check_choice(value: Any, allowed: Iterable[str], many: bool = False) -> Any:
    """The value must be one of ``allowed``; with ``many``, each value of a list must be."""
    choices = set(allowed)
    if isinstance(value, (list, dict)) and not (many and isinstance(value, list)):
        raise RuleError("Unknown value for {field}: {value}", value=value)
    for item in value if isinstance(value, list) else [value]:
        if str(item) not in choices:
            raise RuleError("Unknown value for {field}: {value}", value=item)
    return value


def check_pattern(value: Any, pattern: re.Pattern[str]) -> str:
    text = str(value).strip()
    if not pattern.match(text):
        raise RuleError("{field} is not in a valid format: {value}", value=value)
    return text


def check_text(value: Any) -> str:
    """Text, not a list, object or number; control characters become spaces."""
    if not isinstance(value, str):
        raise RuleError("{field} must be text")
    return CONTROL_CHARACTERS.sub(" ", value).strip()


def check_max_length(value: Any, length: int) -> Any:
    if isinstance(value, str) and len(value) > length:
        raise RuleError("{field} must be at most {length} characters", length=length)
    return value


def split_names(value: Any) -> list[str]:
    """A list of strings, or one comma-separated string as forms send it; blanks dropped."""
    if is_empty(value):
        return []
    if isinstance(value, str):
        value = value.split(",")
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RuleError("{field} must be a list of names")
    return [item.strip() for item in value if item.strip()]


def check_url_name(value: Any) -> str:
    text = str(value).strip()
    if not URL_NAME_PATTERN.match(text):
        raise RuleError("{field}: use 2 to 100 lower-case letters, digits, - or _: {value}", value=value)
    return text


def check_http_url(value: Any) -> str:
    text = str(value).strip()
    if not HTTP_URL_PATTERN.match(text):
        raise RuleError("{field} must be a web address starting with http:// or https://: {value}", value=value)
    return text


def credit_code_check_character(first_17: str) -> str:
    total = sum(CREDIT_CODE_ALPHABET.index(char) * weight for char, weight in zip(first_17, CREDIT_CODE_WEIGHTS, strict=False))
    return CREDIT_CODE_ALPHABET[(31 - total % 31) % 31]


def is_credit_code(value: str) -> bool:
    return bool(CREDIT_CODE_PATTERN.match(value)) and credit_code_check_character(value[:17]) == value[17]


def id_number_check_character(first_17: str) -> str:
    return ID_NUMBER_CHECKS[sum(int(char) * weight for char, weight in zip(first_17, ID_NUMBER_WEIGHTS, strict=False)) % 11]


def is_id_number(value: str) -> bool:
    return bool(ID_NUMBER_PATTERN.match(value)) and id_number_check_character(value[:17]) == value[17]


def check_credit_code(value: Any) -> str:
    text = str(value).strip().upper()
    if not is_credit_code(text):
        raise RuleError("{field} is not a valid unified social credit code (GB 32100): {value}", value=value)
    return text


def check_id_number(value: Any) -> str:
    text = str(value).strip().upper()
    if not is_id_number(text):
        raise RuleError("{field} is not a valid ID card number (GB 11643): {value}", value=value)
    return text
