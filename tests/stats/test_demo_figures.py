"""Loading the demo catalogue fills the counters with exactly the catalogue's own figures."""
from __future__ import annotations

import dataclasses

import pytest
from ckan import model
from click.testing import CliRunner

from ckanext.govdata.cli import govdata
from ckanext.govdata.demo import catalogue, loader
from ckanext.govdata.stats import counter_reads, counters

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")


def _demo_part(departments: int = 3) -> catalogue.Catalogue:
    """Departments owning datastore tables, with their datasets and the APIs that serve them."""
    demo = catalogue.build(catalogue.DEFAULT_SEED)
    owners = list(dict.fromkeys(package.owner_org for package in demo.packages if package.resource.datastore))
    chosen = set(owners[:departments])
    datasets = [package for package in demo.packages if package.owner_org in chosen and not package.is_api]
    names = {package.name for package in datasets}
    apis = [package for package in demo.packages if package.owner_org in chosen and package.is_api and set(package.served_datasets) <= names]
    return dataclasses.replace(
        demo,
        departments=tuple(department for department in demo.departments if department.name in chosen),
        packages=tuple(datasets + apis),
    )


def _public_site() -> dict[str, int]:
    model.Session.remove()
    return counter_reads.figures(counters.PUBLIC, counters.SITE)


def test_demo_load_counts_exactly_the_catalogue_figures_and_rebuild_agrees():
    part = _demo_part()
    assert any(package.resource.datastore for package in part.packages)
    loader.load_catalogue(part)
    expected = part.figures()

    def as_loaded(site: dict[str, int]) -> tuple[int, ...]:
        return (site["departments"], site["domains"], site["catalogue_classes"], site["datasets"], site["apis"], site["data_items"], site["records"])

    wanted = (
        expected.departments,
        expected.domains,
        expected.catalogue_classes,
        expected.datasets,
        expected.apis,
        expected.data_items,
        expected.records,
    )
    loaded = _public_site()
    assert as_loaded(loaded) == wanted
    # The datastore tables are measured, and their row counts equal the declared ones.
    assert loaded["declared_records"] < loaded["records"]

    result = CliRunner().invoke(govdata, ["stats", "rebuild"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert f"{expected.datasets} datasets" in result.output
    assert as_loaded(_public_site()) == wanted
