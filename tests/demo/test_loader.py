"""Loading the demo into a real CKAN: what it writes, and that a second run writes nothing."""
from __future__ import annotations

import dataclasses

import pytest
from ckan import model
from ckan.tests.helpers import call_action

from ckanext.govdata.demo import catalogue, loader

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _part_of_demo(departments: int = 2) -> catalogue.Catalogue:
    """The departments that own datastore tables, with their datasets and the APIs serving them."""
    demo = catalogue.build(catalogue.DEFAULT_SEED)
    owners = list(dict.fromkeys(package.owner_org for package in demo.packages if package.resource.datastore))
    chosen = set(owners[:departments])
    datasets = [p for p in demo.packages if p.owner_org in chosen and not p.is_api]
    names = {p.name for p in datasets}
    apis = [p for p in demo.packages if p.owner_org in chosen and p.is_api and set(p.served_datasets) <= names]
    return dataclasses.replace(
        demo,
        departments=tuple(d for d in demo.departments if d.name in chosen),
        packages=tuple(datasets + apis),
    )


def _stored_state() -> dict[str, object]:
    packages = model.Session.query(model.Package).filter_by(state="active").all()
    return {
        "packages": sorted((p.name, p.metadata_modified) for p in packages),
        "organizations": model.Session.query(model.Group).filter_by(is_organization=True, state="active").count(),
        "resources": model.Session.query(model.Resource).filter_by(state="active").count(),
    }


def test_loader_writes_the_catalogue_and_a_second_run_changes_nothing():
    part = _part_of_demo()
    tables = [p for p in part.packages if p.resource.datastore]
    assert tables, "the chosen departments own datastore tables"

    first = loader.load_catalogue(part)
    after_first = _stored_state()
    second = loader.load_catalogue(part)

    assert first.created == len(part.packages) + len(part.departments)
    assert after_first["organizations"] == len(part.departments)
    assert len(after_first["packages"]) == len(part.packages)
    assert first.tables_filled == len(tables)
    assert (second.created, second.patched, second.files_uploaded, second.tables_filled) == (0, 0, 0, 0)
    assert _stored_state() == after_first

    search = call_action("package_search", rows=0, **{"facet.field": ["dataset_type"]})
    assert search["count"] == len(part.packages)
    for package in tables:
        shown = call_action("package_show", id=package.name)
        resource = shown["resources"][0]
        assert resource["datastore_active"] is True
        rows = call_action("datastore_search", resource_id=resource["id"], limit=0)["total"]
        assert rows == package.record_count == shown["record_count"]


def test_loader_repairs_what_was_changed_by_hand():
    part = _part_of_demo(departments=1)
    loader.load_catalogue(part)
    package = part.packages[0]
    site_user = call_action("get_site_user", {"ignore_auth": True})["name"]
    call_action("package_patch", {"user": site_user}, id=package.name, title="被人改过的标题")

    repaired = loader.load_catalogue(part)

    assert repaired.patched == 1
    assert call_action("package_show", id=package.name)["title"] == package.title
