"""Shared file storage: attachments, rules documents and images go to the storage configured for
their kind (here Redis, as any node of the portal would reach it), another node configured alike
reads and writes the same files, and attachments stay readable by the applicant, the request's
reviewers and sysadmins only."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import uuid
from typing import Any

import ckan.plugins.toolkit as tk
import file_keeper as fk
import pytest
import redis
from ckan import model
from ckan.exceptions import CkanConfigurationException
from ckan.tests.helpers import call_action
from werkzeug.datastructures import FileStorage

from ckanext.govdata import storage
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

KINDS = ("govdata_access", "govdata_contest", "govdata_showcase", "govdata_feedback")
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

# Another web node: a process that knows nothing of this one but the storage settings.
OTHER_NODE = """
import json, sys
import file_keeper as fk
fk.ext.setup()
settings, command, key = json.loads(sys.argv[1]), sys.argv[2], sys.argv[3]
node = fk.make_storage(settings.pop("name"), settings)
if command == "read":
    sys.stdout.buffer.write(node.content(fk.FileData(fk.Location(key))))
else:
    node.remove(fk.FileData(fk.Location(key)))
    node.upload(fk.Location(key), fk.make_upload(sys.stdin.buffer.read()))
"""


@pytest.fixture
def shared(app: Any, ckan_config: dict[str, Any], monkeypatch: pytest.MonkeyPatch, reset_storages: Any) -> Any:
    """Every kind in a Redis storage of its own; yields the settings by kind, then drops the files."""
    run = uuid.uuid4().hex[:8]
    settings = {
        kind: {"type": "file_keeper:redis", "url": ckan_config["ckan.redis.url"], "bucket": f"govdata_test_{run}_{kind}"}
        for kind in KINDS
    }
    for kind, options in settings.items():
        for option, value in options.items():
            monkeypatch.setitem(ckan_config, f"ckan.files.storage.{kind}.{option}", value)
    reset_storages()
    yield settings
    redis.Redis.from_url(ckan_config["ckan.redis.url"]).delete(*(options["bucket"] for options in settings.values()))
    monkeypatch.undo()
    reset_storages()


def _other_node(settings: dict[str, Any], kind: str, command: str, key: str, content: bytes = b"") -> bytes:
    finished = subprocess.run(
        [sys.executable, "-c", OTHER_NODE, json.dumps({"name": kind, **settings[kind]}), command, key],
        input=content, capture_output=True, check=True, timeout=60,
    )
    return finished.stdout


def _stored_keys(settings: dict[str, Any], kind: str) -> set[str]:
    connection = redis.Redis.from_url(settings[kind]["url"])
    return {os.fsdecode(key) for key in connection.hkeys(settings[kind]["bucket"])}


def _local_files() -> list[str]:
    root = tk.config["ckan.storage_path"]
    return [name for kind in KINDS for _path, _dirs, names in os.walk(os.path.join(root, kind)) for name in names]


def _headers(user: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": user["token"]}


def _pdf(name: str = "授权书.pdf") -> FileStorage:
    return FileStorage(io.BytesIO(PDF), filename=name)


def _request_with_attachment(department: dict[str, Any], applicant: dict[str, Any]) -> dict[str, Any]:
    dataset = factories.conditional_dataset(department["id"])
    return factories.access_request(
        applicant, dataset["id"], subject_consent="authorisation", subject_id=factories.credit_code("91330600MA2BC0KY2"),
        attachments=[_pdf()],
    )


def test_each_kind_is_kept_in_its_configured_storage_and_served_from_it(app, shared):
    before = _local_files()
    applicant = factories.user()
    request = _request_with_attachment(factories.department(), applicant)
    attachment = request["attachments"][0]
    contest = factories.contest(rules_upload=_pdf("参赛规则.pdf"))
    showcase = call_action("govdata_showcase_create", {"user": applicant["name"], "ignore_auth": False},
                           screenshot_upload=[factories.image_upload()], **factories.showcase_fields())
    shot = showcase["screenshots"][0]
    report = call_action("govdata_correction_create", {"user": applicant["name"], "ignore_auth": False},
                         package_id=factories.dataset()["id"], description="数据有误", attachment=_pdf("截图说明.pdf"))

    served = app.get(f"/access/request/{request['id']}/attachment/{attachment['id']}", headers=_headers(applicant))
    rules = app.get(f"/contest/{contest['name']}/rules")
    thumbnail = app.get(f"/showcase/{showcase['id']}/image/{shot['thumbnail']}", headers=_headers(applicant))
    reported = app.get(f"/feedback/correction/{report['id']}/attachment", headers=_headers(applicant))

    assert {kind: storage.Store(kind).backend().settings.type for kind in KINDS} == dict.fromkeys(KINDS, "file_keeper:redis")
    assert _stored_keys(shared, "govdata_access") == {f"{request['id']}/{attachment['id']}.pdf"}
    assert len(_stored_keys(shared, "govdata_contest")) == 1
    assert _stored_keys(shared, "govdata_showcase") == {shot["file"], shot["thumbnail"]}
    assert _local_files() == before  # nothing on this node's disk
    assert served.status_code == 200 and served.data == PDF
    assert rules.status_code == 200 and rules.data == PDF
    assert thumbnail.status_code == 200 and thumbnail.data.startswith(b"\xff\xd8")
    assert _stored_keys(shared, "govdata_feedback") == {f"{report['id']}/{report['attachment']['id']}.pdf"}
    assert reported.status_code == 200 and reported.data == PDF


def test_another_node_configured_alike_reads_and_writes_the_same_files(app, shared):
    applicant = factories.user()
    request = _request_with_attachment(factories.department(), applicant)
    attachment = request["attachments"][0]
    contest = factories.contest(rules_upload=_pdf("参赛规则.pdf"))
    (rules_key,) = _stored_keys(shared, "govdata_contest")
    revised = PDF.replace(b"1.4", b"1.7")

    read_there = _other_node(shared, "govdata_access", "read", f"{request['id']}/{attachment['id']}.pdf")
    _other_node(shared, "govdata_contest", "write", rules_key, revised)

    assert read_there == PDF
    assert app.get(f"/contest/{contest['name']}/rules").data == revised


def test_attachments_in_shared_storage_stay_default_deny(app, shared):
    department = factories.department()
    applicant = factories.user()
    request = _request_with_attachment(department, applicant)
    attachment = request["attachments"][0]
    url = f"/access/request/{request['id']}/attachment/{attachment['id']}"
    location = f"{request['id']}/{attachment['id']}.pdf"

    anonymous = app.get(url, status=None, follow_redirects=False)
    readers = [applicant, factories.member(department["id"]), factories.sysadmin()]
    others = [factories.user(), factories.member(factories.department()["id"], role="admin")]

    assert [app.get(url, headers=_headers(user)).data for user in readers] == [PDF] * 3
    assert [app.get(url, headers=_headers(user), status=None).status_code for user in others] == [404, 404]
    assert anonymous.status_code in (302, 403, 404) and PDF not in anonymous.data
    # Core's file API knows nothing of them and lets nobody but a file manager register one.
    for user in [applicant, *others]:
        with pytest.raises(tk.NotAuthorized):
            call_action("file_register", {"user": user["name"], "ignore_auth": False},
                        storage="govdata_access", location=location)
    assert model.Session.query(model.File).filter_by(storage="govdata_access").count() == 0
    assert app.get(f"/file/public-download/govdata_access/{location}", status=None).status_code in (403, 404)


def test_without_a_configured_storage_files_stay_where_earlier_versions_wrote_them(app):
    applicant = factories.user()
    request = _request_with_attachment(factories.department(), applicant)
    attachment = request["attachments"][0]

    path = os.path.join(tk.config["ckan.storage_path"], "govdata_access", request["id"], f"{attachment['id']}.pdf")

    assert storage.Store("govdata_access").backend().settings.type == "ckan:fs"
    with open(path, "rb") as stored:
        assert stored.read() == PDF


@pytest.mark.parametrize(
    ("settings", "option"),
    [
        ({"type": "file_keeper:memory", "disabled_capabilities": ["REMOVE"]}, "type"),
        ({"type": "ckan:fs", "public": True}, "public"),
    ],
)
def test_a_storage_that_would_not_keep_a_kind_safely_is_a_configuration_error(
    settings, option, ckan_config, monkeypatch, reset_storages, tmp_path
):
    for name, value in {"path": str(tmp_path), **settings}.items():
        monkeypatch.setitem(ckan_config, f"ckan.files.storage.govdata_access.{name}", value)
    reset_storages()
    try:
        with pytest.raises(CkanConfigurationException, match=rf"ckan\.files\.storage\.govdata_access\.{option}"):
            storage.Store("govdata_access").backend()
    finally:
        monkeypatch.undo()
        reset_storages()


def test_object_storage_can_be_configured():
    # file_keeper:s3 serves S3 and MinIO; it is registered only when boto3 is installed.
    assert "file_keeper:s3" in fk.adapters
