"""The bulk reindex (search/bulk.py) sends Solr the documents CKAN's own indexer sends."""
from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable, Iterator
from typing import Any
from unittest import mock

import pysolr
import pytest
from ckan import logic, model
from ckan.common import config
from ckan.lib.navl.dictization_functions import flatten_dict
from ckan.logic.validators import duplicate_extras_key
from ckan.tests.helpers import call_action

from ckanext.govdata.demo import catalogue, loader
from ckanext.govdata.search import bulk, show_schemas
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

# Set by Solr, not by the indexer.
IGNORED = {"indexed_ts", "_version_"}


def _part_of_demo() -> catalogue.Catalogue:
    """Three departments of the demo with their datasets, uploads and datastore tables (not the
    demo's APIs: they may serve datasets of departments left out)."""
    demo = catalogue.build(catalogue.DEFAULT_SEED)
    chosen = set(list(dict.fromkeys(p.owner_org for p in demo.packages if p.resource.datastore))[:2])
    chosen |= {next(p.owner_org for p in demo.packages if p.resource.is_upload)}
    return dataclasses.replace(
        demo,
        departments=tuple(d for d in demo.departments if d.name in chosen),
        packages=tuple(p for p in demo.packages if p.owner_org in chosen and not p.served_datasets),
    )


@pytest.fixture
def package_ids() -> list[str]:
    loader.load_catalogue(_part_of_demo())
    department = factories.department(title="绍兴市交通运输局", department_code="JTJ")
    served = factories.dataset(department["id"], title="公交站点信息", tag_string="公交,站点")
    factories.dataservice(department["id"], served_datasets=[served["name"]])
    factories.conditional_dataset(department["id"], title="企业纳税信息")
    factories.dataset(department["id"], title="出租车GPS轨迹", private=True)
    deleted = factories.dataset(department["id"], title="已撤下的数据")
    call_action("package_delete", factories.site_context(), id=deleted["id"])
    factories.published_showcase()
    factories.showcase()
    model.Session.remove()
    return [package_id for (package_id,) in model.Session.query(model.Package.id)]


def _sent(index: Callable[[list[str]], Any], package_ids: list[str]) -> dict[str, dict[str, Any]]:
    """The documents ``index`` sends to Solr, as Solr reads them from the request, by dataset id,
    without Solr's own fields."""
    documents: list[dict[str, Any]] = []

    def update(self: pysolr.Solr, message: str, *args: Any, solrapi: str = "XML", **kwargs: Any) -> str:
        if solrapi == "JSON":
            documents.extend(json.loads(message))
        return ""

    with mock.patch.object(pysolr.Solr, "_update", update):
        index(package_ids)
    by_id = {document["id"]: {k: v for k, v in document.items() if k not in IGNORED} for document in documents}
    assert len(by_id) == len(documents)
    return by_id


def _ckan_index(package_ids: list[str]) -> None:
    for package_id in package_ids:
        logic.index_update_package({"ignore_auth": True}, package_id, defer_commit=True)


def _differences(ckan: dict[str, Any], ours: dict[str, Any]) -> Iterator[str]:
    for field in sorted(set(ckan) | set(ours)):
        if field in ("data_dict", "validated_data_dict") and field in ckan and field in ours:
            yield from (f"{field}: {difference}" for difference in _differences(json.loads(ckan[field]), json.loads(ours[field])))
        elif ckan.get(field, "<absent>") != ours.get(field, "<absent>"):
            yield f"{field}: CKAN {ckan.get(field, '<absent>')!r} != bulk {ours.get(field, '<absent>')!r}"


@pytest.mark.ckan_config("ckan.search.remove_deleted_packages", "false")
def test_bulk_documents_equal_ckans_field_by_field(package_ids):
    ckan = _sent(_ckan_index, package_ids)
    ours = _sent(bulk.index, package_ids)

    assert set(ours) == set(ckan) == set(package_ids)
    kinds = {(document["dataset_type"], document["capacity"], document["state"]) for document in ckan.values()}
    assert {("dataset", "public", "active"), ("dataset", "private", "active"), ("dataset", "public", "deleted"),
            ("dataservice", "public", "active"), ("showcase", "public", "active")} <= kinds
    uploads = model.Session.query(model.Resource.package_id).filter_by(url_type="upload").distinct().count()
    assert uploads >= 2
    assert {"conditional", "unconditional"} <= {document.get("open_condition") for document in ckan.values()}
    for package_id in package_ids:
        assert list(_differences(ckan[package_id], ours[package_id])) == [], ckan[package_id]["name"]


def test_deleted_datasets_leave_the_index_as_with_ckan(package_ids):
    assert config["ckan.search.remove_deleted_packages"]
    ckan = _sent(_ckan_index, package_ids)
    documents, deleted, failures = bulk.build(package_ids)

    assert failures == {}
    assert {document["id"] for document in documents} == set(ckan)
    assert len(deleted) == len(package_ids) - len(ckan) == 1


@pytest.mark.parametrize(
    "extras",
    [
        [],
        [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}],
        [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}, {"key": "a", "value": "3"}, {"key": "b", "value": ""}],
        [{"key": "a", "value": "1"}, {"key": "a", "value": "2", "deleted": True}],
        [{"key": "a", "value": "1"}, {"key": "b", "value": "2"}, {"key": "b", "value": "3"}, {"key": "a", "value": "4"}],
        [{"key": "a", "value": "1"}, {"value": "no key"}],
    ],
)
def test_the_swapped_duplicate_extras_check_is_ckans(extras):
    flattened = flatten_dict({"name": "x", "extras": extras})

    def check(validator: Callable[..., Any]) -> Any:
        errors: dict[Any, list[str]] = {}
        try:
            validator(("__before",), dict(flattened), errors, {})
        except KeyError:
            return "an extra without a key fails"
        return errors

    assert check(show_schemas._duplicate_extras_key_flat) == check(duplicate_extras_key)
