"""govdata's own routes."""
from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ckan.lib.helpers import unix_locale_to_bcp47
from ckan.lib.i18n import get_locales_from_config
from ckan.views.api import i18n_js_translations
from flask import Blueprint


def js_translations() -> Blueprint:
    """Serves CKAN's JavaScript translations under the names its client asks for.

    CKAN's client turns the page's BCP 47 language into a locale by replacing only the first
    hyphen, so ``zh-Hans-CN`` asks for ``/api/i18n/zh_Hans-CN``, which CKAN refuses with a 400
    and every JavaScript module of the page stays unstarted. These exact routes take precedence
    over CKAN's ``/api/i18n/<lang>``.
    """
    blueprint = Blueprint("govdata_i18n", __name__)
    for locale in sorted(get_locales_from_config()):
        requested = unix_locale_to_bcp47(locale).replace("-", "_", 1)
        if requested != locale:
            blueprint.add_url_rule(
                f"/api/i18n/{requested}",
                endpoint=f"js_translations_{locale}",
                view_func=_translations_of(locale),
            )
    return blueprint


def _translations_of(locale: str) -> Callable[[], Any]:
    def view() -> Any:
        return i18n_js_translations(locale)

    view.__name__ = f"js_translations_{locale}"
    return view
