"""Error messages given in Chinese and English at once.

API clients and forms get one string that both audiences can read, whatever the request's
locale: ``"开放领域取值无效：xyz / Unknown value for Domain: xyz"``. English msgids live in
code; their Chinese comes from this extension's zh_Hans_CN catalogue.
"""
from __future__ import annotations

import functools
import os
from typing import TYPE_CHECKING, Any

from babel.support import NullTranslations, Translations

if TYPE_CHECKING:
    from ckan.logic import ValidationError

I18N_DIR = os.path.join(os.path.dirname(__file__), "i18n")
DOMAIN = "ckanext-govdata"


@functools.lru_cache(maxsize=1)
def _chinese() -> NullTranslations:
    return Translations.load(I18N_DIR, ["zh_Hans_CN"], domain=DOMAIN)


def chinese(msgid: str) -> str:
    return _chinese().gettext(msgid)


def bilingual(msgid: str, field: tuple[str, str] | None = None, **params: Any) -> str:
    """``msgid`` in Chinese then English; ``field`` is the (Chinese, English) field label."""
    zh_field, en_field = field or ("", "")
    english = msgid.format(field=en_field, **params)
    translated = chinese(msgid).format(field=zh_field, **params)
    return english if translated == english else f"{translated} / {english}"


def error_messages(error: ValidationError) -> list[str]:
    """Every message of a ValidationError, field after field (for flashing them on a page)."""
    return [
        str(message)
        for messages in error.error_dict.values()
        for message in (messages if isinstance(messages, list) else [messages])
    ]
