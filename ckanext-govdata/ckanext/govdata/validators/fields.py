"""Validators for action schemas, naming the field in Chinese and English.

Each schema module makes one :class:`Fields` from its field labels (English here, Chinese in
the zh_Hans_CN catalogue) and builds its schema from it::

    fields = Fields({"package_id": "Dataset", "period_end": "Period to"})
    schema = {"package_id": [fields.required, unicode_safe], "period_end": [fields.iso_date]}

A refusal reads ``"数据集为必填项 / Dataset is required"``; a field without a label is named by
its parameter name.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from ckan.lib.navl.dictization_functions import StopOnError, missing

from ckanext.govdata.messages import bilingual, chinese
from ckanext.govdata.validators import rules

Validator = Callable[..., Any]
Key = tuple[Any, ...]


def _name(key: Key) -> str:
    """The field a (possibly nested) navl key stands for: its last named part."""
    named = [part for part in key if isinstance(part, str)]
    return named[-1] if named else str(key[-1])


class Fields:
    """The validators of one schema, which name its fields by ``labels``."""

    def __init__(self, labels: Mapping[str, str]) -> None:
        self.labels = dict(labels)

    def label(self, name: str) -> tuple[str, str]:
        """The (Chinese, English) label of field ``name``."""
        english = self.labels.get(name, name)
        return chinese(english), english

    def message(self, name: str, msgid: str, **params: Any) -> str:
        """``msgid`` about field ``name``, in Chinese and English."""
        return bilingual(msgid, field=self.label(name), **params)

    def _refuse(self, key: Key, errors: dict[Key, list[str]], refused: rules.RuleError) -> None:
        errors[key].append(self.message(_name(key), refused.msgid, **refused.params))

    def _checked(self, check: Callable[[Any], Any], *, stop: bool = True) -> Validator:
        """A validator that runs ``check`` on a given value and stores its result."""

        def validator(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]], context: Any) -> None:
            value = data.get(key)
            if rules.is_empty(value):
                return
            try:
                data[key] = check(value)
            except rules.RuleError as refused:
                self._refuse(key, errors, refused)
                if stop:
                    raise StopOnError from None

        return validator

    @property
    def required(self) -> Validator:
        def validator(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]], context: Any) -> None:
            if rules.is_empty(data.get(key)):
                errors[key].append(self.message(_name(key), "{field} is required"))
                raise StopOnError

        return validator

    def choice(self, allowed: Iterable[str]) -> Validator:
        values = tuple(allowed)
        return self._checked(lambda value: rules.check_choice(value, values))

    @property
    def iso_date(self) -> Validator:
        """An ISO date, stored as a ``datetime.date``; an empty value (blank too) is None."""
        checked = self._checked(rules.parse_date)

        def validator(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]], context: Any) -> None:
            if rules.is_empty(data.get(key)) and data.get(key) is not missing:
                data[key] = None
                return
            checked(key, data, errors, context)

        return validator

    def whole_number(self, low: int | None = None, high: int | None = None) -> Validator:
        """A whole number within ``low``..``high``; an empty value is dropped (treated as missing)."""
        checked = self._checked(lambda value: rules.parse_whole_number(value, low, high))

        def validator(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]], context: Any) -> None:
            if rules.is_empty(data.get(key)):
                data.pop(key, None)
                return
            checked(key, data, errors, context)

        return validator

    @property
    def flag(self) -> Validator:
        """A yes/no parameter: a boolean or a yes/no word; anything else is refused."""

        def validator(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]], context: Any) -> None:
            value = data.get(key)
            if value is missing or value is None:
                return
            try:
                data[key] = rules.parse_flag(value)
            except rules.RuleError as refused:
                self._refuse(key, errors, refused)
                raise StopOnError from None

        return validator

    @property
    def accepted(self) -> Validator:
        """A box that must be ticked."""

        def validator(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]], context: Any) -> None:
            try:
                ticked = rules.parse_flag(data.get(key))
            except rules.RuleError:
                ticked = False
            if not ticked:
                errors[key].append(self.message(_name(key), "{field} must be accepted"))
                raise StopOnError
            data[key] = True

        return validator

    @property
    def string_list(self) -> Validator:
        """A list of strings, or one comma-separated string; stored as a list (empty if none)."""

        def validator(key: Key, data: dict[Key, Any], errors: dict[Key, list[str]], context: Any) -> None:
            try:
                data[key] = rules.split_names(data.get(key))
            except rules.RuleError as refused:
                self._refuse(key, errors, refused)
                raise StopOnError from None

        return validator

    @property
    def text(self) -> Validator:
        """Text (see ``rules.check_text``); white space around it and control characters go."""
        return self._checked(rules.check_text)

    def max_length(self, length: int) -> Validator:
        return self._checked(lambda value: rules.check_max_length(value, length), stop=False)

    def pattern(self, regex: re.Pattern[str]) -> Validator:
        return self._checked(lambda value: rules.check_pattern(value, regex), stop=False)

    @property
    def credit_code(self) -> Validator:
        return self._checked(rules.check_credit_code, stop=False)

    @property
    def id_number(self) -> Validator:
        return self._checked(rules.check_id_number, stop=False)

    @property
    def url_name(self) -> Validator:
        return self._checked(rules.check_url_name)

    @property
    def http_url(self) -> Validator:
        return self._checked(rules.check_http_url)


def stripped(value: Any) -> Any:
    """Text without surrounding white space; other values unchanged."""
    return value.strip() if isinstance(value, str) else value
