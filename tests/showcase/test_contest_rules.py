"""A contest's rules document: uploaded by staff (API and form), checked, served to everyone."""
from __future__ import annotations

import io
import os
import zipfile

import ckan.plugins.toolkit as tk
import pytest
from ckan.tests.helpers import call_action
from werkzeug.datastructures import FileStorage

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

PDF = b"%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n"


def _docx() -> bytes:
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w") as archive:
        archive.writestr("[Content_Types].xml", '<?xml version="1.0"?><Types/>')
        archive.writestr("word/document.xml", "<w:document/>")
    return data.getvalue()


def _file(content: bytes, name: str) -> FileStorage:
    return FileStorage(stream=io.BytesIO(content), filename=name)


def _stored_files(ckan_config, contest_id: str = "") -> set[str]:
    """The rules files kept for one contest, or for all when no id is given."""
    root = os.path.join(ckan_config["ckan.storage_path"], "govdata_contest", contest_id)
    return {os.path.join(path, name) for path, _dirs, files in os.walk(root) for name in files}


def test_the_rules_document_is_uploaded_replaced_and_served_to_everyone(app, ckan_config):
    contest = factories.contest(rules_upload=_file(PDF, "2026大赛参赛规则.pdf"))

    served = app.get(f"/contest/{contest['name']}/rules")
    page = app.get(f"/contest/{contest['name']}").body
    replaced = call_action("govdata_contest_update", factories.site_context(), id=contest["id"],
                           rules_upload=_file(_docx(), "规则（修订）.docx"))
    served_again = app.get(f"/contest/{contest['name']}/rules")

    assert contest["rules_document"] == {"name": "2026大赛参赛规则.pdf", "size": len(PDF), "mimetype": "application/pdf"}
    assert served.status_code == 200 and served.data == PDF and served.headers["Content-Type"] == "application/pdf"
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert f"/contest/{contest['name']}/rules" in page and "2026大赛参赛规则.pdf" in page
    assert replaced["rules_document"]["name"] == "规则（修订）.docx"
    assert served_again.data == _docx() and "attachment" in served_again.headers["Content-Disposition"]
    assert len(_stored_files(ckan_config, contest["id"])) == 1  # the replaced file is gone

    removed = call_action("govdata_contest_update", factories.site_context(), id=contest["id"], remove_rules=True)
    assert removed["rules_document"] is None and _stored_files(ckan_config, contest["id"]) == set()
    assert app.get(f"/contest/{contest['name']}/rules", status=404)


@pytest.mark.parametrize(
    ("content", "name", "fragment"),
    [
        (b"MZ\x90\x00 this is a program", "rules.pdf", "rules.pdf"),
        (PDF, "rules.exe", "pdf, docx"),
        (b"PK\x03\x04 not really a zip", "rules.docx", "rules.docx"),
        (b"", "rules.pdf", "1 byte"),
    ],
)
def test_a_bad_rules_document_is_refused_naming_the_field_and_nothing_is_kept(content, name, fragment, ckan_config):
    before = _stored_files(ckan_config)
    with pytest.raises(tk.ValidationError) as refused:
        factories.contest(name="refused-contest", rules_upload=_file(content, name))

    message = refused.value.error_dict["rules_upload"][0]
    assert fragment in message and "Rules document" in message and "参赛规则文件" in message
    assert call_action("govdata_contest_list", factories.site_context()) == []
    assert _stored_files(ckan_config) == before


def test_staff_upload_the_rules_through_the_contest_form(app):
    staff = factories.sysadmin()
    contest = factories.contest()

    response = app.post(
        f"/contest/{contest['name']}/edit",
        headers={"Authorization": staff["token"]},
        data={"title": contest["title"], "rules_upload": (io.BytesIO(PDF), "规则.pdf")},
        content_type="multipart/form-data",
        follow_redirects=False,
    )
    refused = app.post(
        f"/contest/{contest['name']}/edit",
        headers={"Authorization": staff["token"]},
        data={"title": contest["title"], "rules_upload": (io.BytesIO(b"MZ\x90\x00"), "病毒.pdf")},
        content_type="multipart/form-data",
    )

    assert response.status_code == 302
    assert app.get(f"/contest/{contest['name']}/rules").data == PDF
    assert "病毒.pdf" in refused.body and "Rules document" in refused.body
    assert app.get(f"/contest/{contest['name']}/rules").data == PDF
