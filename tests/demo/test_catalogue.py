"""The demo catalogue carries Shaoxing's published figures exactly, with data every schema
accepts; pure tests, no database."""
from __future__ import annotations

import csv
import io
import re
from collections import Counter

import pytest
import yaml

from ckanext.govdata import vocabularies
from ckanext.govdata.demo import catalogue
from ckanext.govdata.demo.catalogue import API_TYPE, DATASET_TYPE, FIGURES, Catalogue
from ckanext.govdata.validators import grades, rules

PACKAGE_NAME = re.compile(r"^[a-z0-9_-]{2,100}$")
REQUIRED_FIELDS = ("title", "name", "notes", "identifier", "owner_org", "domain", "open_condition", "security_grade", "update_frequency")


@pytest.fixture(scope="module")
def demo() -> Catalogue:
    return catalogue.build()


@pytest.fixture(scope="module")
def shipped() -> dict[str, list[str]]:
    with open(vocabularies.DEFAULT_FILE, encoding="utf-8") as stream:
        sections = yaml.safe_load(stream)
    return {section: [str(entry["value"]) for entry in entries] for section, entries in sections.items()}


@pytest.mark.parametrize("seed", [catalogue.DEFAULT_SEED, 1, 42])
def test_every_seed_gives_the_published_figures(seed):
    assert catalogue.build(seed).figures() == FIGURES


def test_published_figures():
    assert (FIGURES.departments, FIGURES.domains, FIGURES.catalogue_classes) == (60, 14, 481)
    assert (FIGURES.datasets, FIGURES.apis, FIGURES.packages) == (393, 410, 803)
    assert (FIGURES.data_items, FIGURES.records) == (3272, 243_000_000)


def test_same_seed_same_catalogue_other_seed_other_draw(demo):
    assert catalogue.build(catalogue.DEFAULT_SEED) == demo
    other = catalogue.build(7)
    assert [p.name for p in other.packages] != [p.name for p in demo.packages]


def test_departments_are_distinct_real_bureaus(demo):
    titles = [department.title for department in demo.departments]
    assert len(set(titles)) == 60
    for bureau in ("绍兴市交通运输局", "绍兴市卫生健康委员会", "绍兴市市场监督管理局", "绍兴市公安局", "绍兴市生态环境局", "绍兴市气象局"):
        assert bureau in titles
    assert all("绍兴" in title for title in titles)
    assert len({department.name for department in demo.departments}) == 60
    assert len({department.department_code for department in demo.departments}) == 60
    for department in demo.departments:
        assert re.fullmatch(r"sx-[a-z0-9-]+", department.name)
        assert rules.DEPARTMENT_CODE_PATTERN.match(department.department_code)
        assert rules.PHONE_PATTERN.match(department.contact_phone)
        assert rules.EMAIL_PATTERN.match(department.contact_email)
        assert department.short_name and department.description and department.address.startswith("绍兴市")


def test_every_department_publishes(demo):
    publishers = Counter(package.owner_org for package in demo.packages)
    assert set(publishers) == {department.name for department in demo.departments}


def test_every_package_has_the_required_fields(demo):
    for package in demo.packages:
        data = package.as_package_dict()
        for field in REQUIRED_FIELDS:
            assert data.get(field), (package.name, field)
        assert None not in data.values()
    assert Counter(package.type for package in demo.packages) == {DATASET_TYPE: 393, API_TYPE: 410}


def test_names_and_identifiers_are_unique_and_valid(demo):
    names = [package.name for package in demo.packages]
    identifiers = [package.identifier for package in demo.packages]
    assert len(set(names)) == len(names)
    assert len(set(identifiers)) == len(identifiers)
    codes = {department.name: department.department_code for department in demo.departments}
    for package in demo.packages:
        assert PACKAGE_NAME.match(package.name), package.name
        assert rules.IDENTIFIER_PATTERN.match(package.identifier)
        assert package.identifier.startswith(f"330600-{codes[package.owner_org]}-")


def test_values_come_from_the_vocabularies(demo, shipped):
    assert {package.domain for package in demo.datasets} == set(shipped["domains"])
    for package in demo.packages:
        assert package.domain in shipped["domains"]
        assert package.open_condition in shipped["open_conditions"]
        assert package.security_grade in shipped["security_grades"]
        assert package.update_frequency in shipped["update_frequencies"]
        assert package.data_subject_type in shipped["data_subject_types"]
        assert set(package.data_format) <= set(shipped["data_formats"])
        assert list(package.data_format) == sorted(package.data_format, key=shipped["data_formats"].index)
        assert package.resource_library is None or package.resource_library in shipped["resource_libraries"]
        assert all(item.type in shipped["data_item_types"] for item in package.data_items)
        if package.is_api:
            assert package.api_method in shipped["api_methods"]
            assert all(parameter.type in shipped["data_item_types"] for parameter in package.api_parameters)


def test_every_entry_is_opened_no_further_than_its_security_grade_allows(demo):
    for package in demo.packages:
        assert grades.allows(package.security_grade, package.open_condition), package.name
    assert {package.security_grade for package in demo.packages if package.open_condition == "unconditional"} == {"1"}


def test_catalogue_classes_are_shared_within_one_department_and_domain(demo):
    owners: dict[str, set[tuple[str, str]]] = {}
    for package in demo.packages:
        owners.setdefault(package.catalogue_class, set()).add((package.owner_org, package.domain))
    assert len(owners) == 481
    assert all(len(owner) == 1 for owner in owners.values())
    shared = [name for name, count in Counter(p.catalogue_class for p in demo.packages).items() if count > 1]
    assert len(shared) == 803 - 481


def test_data_items(demo):
    for package in demo.packages:
        names = [item.name for item in package.data_items]
        assert names, package.name
        assert len(set(names)) == len(names)
        assert all(rules.FIELD_NAME_PATTERN.match(name) for name in names)
        assert sum(item.key for item in package.data_items) <= 1
        assert all(item.name_zh and item.length > 0 for item in package.data_items)
    assert sum(len(package.data_items) for package in demo.packages) == 3272


def test_records_add_up(demo):
    assert all(package.record_count >= 1 for package in demo.packages)
    assert sum(package.record_count for package in demo.packages) == 243_000_000


def test_open_conditions_mix(demo):
    shares = Counter(package.open_condition for package in demo.packages)
    assert 0.65 <= shares["unconditional"] / 803 <= 0.75
    assert 0.20 <= shares["conditional"] / 803 <= 0.30
    assert 0.03 <= shares["not-open"] / 803 <= 0.08
    for package in demo.packages:
        assert bool(package.open_condition_note) == (package.open_condition != "unconditional")
        if package.data_subject_type == "person":
            assert package.open_condition != "unconditional"


def test_dates_are_consistent_and_before_publication(demo):
    for package in demo.packages:
        assert package.issued <= package.modified < "2026-11-01"
        assert package.temporal_start <= package.temporal_end < "2026-11-01"
    assert len({package.update_frequency for package in demo.packages}) >= 7


def test_contacts_pass_the_schema_patterns(demo):
    for package in demo.packages:
        assert rules.PHONE_PATTERN.match(package.contact_phone)
        assert rules.EMAIL_PATTERN.match(package.contact_email)
        assert package.contact_name


@pytest.mark.parametrize("term", ["公交", "空气质量", "PM2.5", "GPS", "2023年"])
def test_titles_make_chinese_search_meaningful(demo, term):
    assert sum(term in package.title for package in demo.packages) >= 3


def test_title_of_a_yearly_statistic(demo):
    titles = {package.title for package in demo.datasets}
    assert any(re.fullmatch(r"绍兴市20\d\d年公交客运量统计", title) for title in titles)


def test_apis(demo):
    datasets = {package.name: package for package in demo.datasets}
    for api in demo.apis:
        assert api.api_endpoint.startswith("https://data.sx.gov.cn/api/")
        assert 1 <= len(api.api_parameters) <= 3
        assert all(rules.FIELD_NAME_PATTERN.match(parameter.name) for parameter in api.api_parameters)
        assert 0 <= len(api.served_datasets) <= 2
        for name in api.served_datasets:
            assert datasets[name].owner_org == api.owner_org
        assert api.resource.format == "API" and api.resource.url
    assert sum(bool(api.served_datasets) for api in demo.apis) > 300


def test_link_resources_declare_a_format_of_their_dataset(demo):
    for package in demo.datasets:
        if not package.resource.is_upload:
            assert package.resource.url.startswith("https://data.sx.gov.cn/files/")
            assert package.resource.format in package.data_format


def test_uploads_and_datastore_tables(demo):
    uploads = [package for package in demo.packages if package.resource.is_upload]
    tables = [package for package in uploads if package.resource.datastore]
    assert len(uploads) == 40 and len(tables) == 25
    assert all(package.type == DATASET_TYPE and package.open_condition != "not-open" for package in uploads)
    assert sum(package.open_condition == "conditional" for package in tables) == catalogue.CONDITIONAL_DATASTORE_TABLES
    assert len({package.domain for package in uploads}) >= 12
    for package in uploads:
        table = package.resource.table
        assert 20 <= len(table.rows) <= 200
        assert package.record_count == len(table.rows)
        assert "CSV" in package.data_format and package.resource.filename.endswith(".csv")
        parsed = list(csv.reader(io.StringIO(table.csv_bytes().decode("utf-8"))))
        assert parsed[0] == [item.name for item in package.data_items]
        assert len(parsed) == len(table.rows) + 1
        assert [field["id"] for field in table.datastore_fields()] == parsed[0]
        if table.primary_key:
            keys = [record[table.primary_key] for record in table.records()]
            assert len(set(keys)) == len(keys)
