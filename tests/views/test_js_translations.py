"""CKAN's JavaScript gets its Chinese translations (its client asks for zh_Hans-CN)."""
from __future__ import annotations

import pytest

pytestmark = pytest.mark.usefixtures("with_plugins")


def test_client_locale_name_is_served(app):
    page = app.get("/dataset/").body
    assert '<html lang="zh-Hans-CN"' in page

    # What ckan's client.js requests: the page language with its first hyphen replaced.
    response = app.get("/api/i18n/zh_Hans-CN", status=200)

    assert response.body == app.get("/api/i18n/zh_Hans_CN", status=200).body


def test_unknown_locale_is_still_refused(app):
    app.get("/api/i18n/xx_Yy-ZZ", status=400)
