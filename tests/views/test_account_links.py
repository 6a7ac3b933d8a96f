"""The header's links to the signed-in user's own pages: 我的数据 and 我的应用 for everyone signed
in, the audit trail only for a department's staff and the bureau; none for visitors."""
from __future__ import annotations

import pytest

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _links(app, user) -> set[str]:
    headers = {"Authorization": user["token"]} if user else {}
    page = app.get("/dataset/", headers=headers)
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    return {path for path in ("/my-data", "/user/apps", "/audit") if f'href="{path}" class="govdata-account-link"' in html}


def test_visitors_see_none_users_their_pages_and_staff_the_audit_trail_too(app):
    department = factories.department()
    user, editor, bureau = factories.user(), factories.member(department["id"], "editor"), factories.sysadmin()

    assert _links(app, None) == set()
    assert _links(app, user) == {"/my-data", "/user/apps"}
    assert _links(app, editor) == {"/my-data", "/user/apps", "/audit"}
    assert _links(app, bureau) == {"/my-data", "/user/apps", "/audit"}
    for path in ("/my-data", "/user/apps", "/audit"):
        assert app.get(path, headers={"Authorization": editor["token"]}).status_code == 200
