"""The served data API from outside: filters, ranges, fields, paging, cursor, sort, CSV, totals."""
from __future__ import annotations

import csv
import io
from typing import Any

import pytest

from tests import factories

pytestmark = pytest.mark.usefixtures("clean_db", "clean_index", "with_plugins")

ROWS = [
    {"station_code": f"ST{n:03d}", "aqi": 20 + n * 3, "pm25": round(5.5 + n, 1), "observed_on": f"2025-01-{n + 1:02d}",
     "district": "越城区" if n % 2 else "柯桥区"}
    for n in range(30)
]
FIELDS = [
    {"id": "station_code", "type": "text"},
    {"id": "aqi", "type": "int8"},
    {"id": "pm25", "type": "numeric"},
    {"id": "observed_on", "type": "date"},
    {"id": "district", "type": "text"},
]
DATA_ITEMS = [
    {"name": "station_code", "name_zh": "站点编码", "type": "string", "key": "true"},
    {"name": "aqi", "name_zh": "空气质量指数", "type": "integer"},
    {"name": "pm25", "name_zh": "PM2.5浓度", "type": "decimal"},
    {"name": "observed_on", "name_zh": "监测日期", "type": "date"},
    {"name": "district", "name_zh": "区县", "type": "string"},
]
PARAMETERS = [
    {"name": "station_code", "type": "string", "required": "false"},
    {"name": "aqi", "type": "integer", "required": "false"},
    {"name": "start_date", "type": "date", "required": "false"},
    {"name": "end_date", "type": "date", "required": "false"},
    {"name": "page_size", "type": "integer", "required": "false"},
]


def served_api(condition: str = "unconditional", rows: list[dict[str, Any]] | None = None,
               dataset_fields: dict[str, Any] | None = None, **api_fields: Any) -> dict[str, Any]:
    """A dataset with a datastore table and a dataservice serving it."""
    department = factories.department()
    dataset = factories.dataset(department["id"], **{"open_condition": condition, "data_items": DATA_ITEMS,
                                                     **(dataset_fields or {})})
    from ckan.tests.helpers import call_action

    call_action("datastore_create", factories.site_context(), resource={"package_id": dataset["id"], "name": "监测表"},
                fields=FIELDS, records=rows if rows is not None else ROWS, force=True)
    fields = {"open_condition": condition, "served_datasets": [dataset["name"]], "data_items": DATA_ITEMS,
              "api_parameters": PARAMETERS}
    fields.update(api_fields)
    api = factories.dataservice(department["id"], **fields)
    return {"api": api, "dataset": dataset, "department": department}


def get(app: Any, name: str, status: int = 200, headers: dict[str, str] | None = None, **params: Any) -> Any:
    return app.get(f"/api/data/{name}", query_string=params, headers=headers or {}, status=status)


def test_an_unconditional_api_answers_anyone_with_its_rows_and_total(app):
    api = served_api()["api"]

    body = get(app, api["name"]).json

    assert body["total"] == 30
    assert body["fields"] == ["station_code", "aqi", "pm25", "observed_on", "district"]
    assert body["records"][0] == {"station_code": "ST000", "aqi": 20, "pm25": 5.5, "observed_on": "2025-01-01",
                                  "district": "柯桥区"}
    assert body["next_cursor"] is None


def test_exact_and_range_filters(app):
    name = served_api()["api"]["name"]

    assert [r["station_code"] for r in get(app, name, station_code="ST004").json["records"]] == ["ST004"]
    ranged = get(app, name, aqi__gte="50", aqi__lte="56").json
    assert [r["aqi"] for r in ranged["records"]] == [50, 53, 56]
    assert ranged["total"] == 3
    dated = get(app, name, start_date="2025-01-10", end_date="2025-01-12").json
    assert [r["observed_on"] for r in dated["records"]] == ["2025-01-10", "2025-01-11", "2025-01-12"]


def test_fields_sort_limit_offset_and_page_size(app):
    name = served_api()["api"]["name"]

    body = get(app, name, fields="aqi,station_code", sort="-aqi", limit="2", offset="1").json
    assert body["records"] == [{"aqi": 104, "station_code": "ST028"}, {"aqi": 101, "station_code": "ST027"}]
    assert body["total"] == 30 and body["limit"] == 2 and body["offset"] == 1
    assert len(get(app, name, page_size="7").json["records"]) == 7


def test_the_cursor_walks_every_row_once(app):
    name = served_api()["api"]["name"]

    seen: list[str] = []
    body = get(app, name, limit="8", fields="station_code").json
    while True:
        seen += [record["station_code"] for record in body["records"]]
        if not body["next_cursor"]:
            break
        assert body["next"].endswith(f"cursor={body['next_cursor']}")
        body = get(app, name, limit="8", fields="station_code", cursor=body["next_cursor"]).json
        assert body["total"] == 30

    assert seen == [row["station_code"] for row in ROWS]


def test_csv_by_parameter_and_by_accept_header(app):
    name = served_api()["api"]["name"]

    by_parameter = get(app, name, format="csv", station_code="ST001")
    by_header = get(app, name, headers={"Accept": "text/csv"}, station_code="ST001")

    for response in (by_parameter, by_header):
        assert response.headers["Content-Type"].startswith("text/csv")
        assert response.headers["X-Total-Count"] == "1"
        rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
        assert rows == [["station_code", "aqi", "pm25", "observed_on", "district"], ["ST001", "23", "6.5", "2025-01-02", "越城区"]]
