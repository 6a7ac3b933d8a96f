"""Staff exports (the access ledger as xlsx and CSV, the monitoring workbook) never carry what a
user typed as a live formula: hostile text comes back as text behind an apostrophe."""
from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from ckan.tests.helpers import call_action
from openpyxl import load_workbook

from ckanext.govdata import spreadsheets
from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

HOSTILE = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2", "@SUM(A1)", "\t=1", "\r=1"]


def _headers(user: dict[str, Any]) -> dict[str, str]:
    return {"Authorization": user["token"]}


def _assert_inert(cells: list[Any]) -> None:
    for value in cells:
        if isinstance(value, str):
            assert not value.startswith(spreadsheets.FORMULA_TRIGGERS), f"live formula: {value!r}"


def _assert_kept_readable(cells: list[Any], texts: list[str]) -> None:
    for text in texts:
        assert "'" + text in cells, f"{text!r} is not in the export behind an apostrophe"


def _xlsx_cells(content: bytes) -> list[Any]:
    book = load_workbook(io.BytesIO(content))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"], "formula cells in the workbook"
    return [cell.value for cell in cells]


def _csv_cells(content: bytes) -> list[str]:
    return [value for row in csv.reader(io.StringIO(content.decode("utf-8-sig"))) for value in row]


@pytest.mark.parametrize("value", HOSTILE)
def test_text_that_starts_a_formula_gets_an_apostrophe(value):
    assert spreadsheets.safe_cell(value) == "'" + value


@pytest.mark.parametrize("value", [-2, 1.5, 0, None, "绍兴甲公司", "2026-05-20", "a=1", "'quoted"])
def test_numbers_and_plain_text_are_left_alone(value):
    assert spreadsheets.safe_cell(value) == value


@pytest.fixture
def hostile_ledger() -> dict[str, Any]:
    """Requests whose applicant name, account holder's purpose and reviewer's note are hostile."""
    department = factories.department()
    dataset = factories.conditional_dataset(department["id"], data_subject_type="none")
    reviewer = factories.user()
    call_action("organization_member_create", factories.site_context(), id=department["id"],
                username=reviewer["name"], role="editor")
    for text in HOSTILE:
        request = factories.access_request(factories.user(), dataset["id"], subject_id=None, subject_consent=None,
                                           applicant_name=text, purpose=text, scenario=text, commitments=text)
        call_action("govdata_access_request_review", {"user": factories.sysadmin()["name"], "ignore_auth": False},
                    id=request["id"], outcome="pass")
        call_action("govdata_access_request_decide", {"user": reviewer["name"], "ignore_auth": False},
                    id=request["id"], decision="reject", reason=text)
    return {"reviewer": reviewer}


@pytest.mark.parametrize("file_format", ["xlsx", "csv"])
def test_the_ledger_export_holds_hostile_text_as_text(app, hostile_ledger, file_format):
    response = app.get("/access/ledger/export", query_string={"format": file_format},
                       headers=_headers(hostile_ledger["reviewer"]), status=200)

    cells = _xlsx_cells(response.data) if file_format == "xlsx" else _csv_cells(response.data)
    _assert_inert(cells)
    _assert_kept_readable(cells, HOSTILE)


def test_the_monitoring_workbook_holds_a_hostile_department_title_as_text(app):
    titles = ['=HYPERLINK("http://evil.example","x")', "@SUM(A1)"]
    for title in titles:
        department = factories.department(title=title)
        factories.dataset(department["id"])

    response = app.get("/monitor/export.xlsx", headers=_headers(factories.sysadmin()), status=200)

    cells = _xlsx_cells(response.data)
    _assert_inert(cells)
    _assert_kept_readable(cells, titles)
    assert 1 in cells, "counts stay numbers"
