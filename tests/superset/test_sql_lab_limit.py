"""SQL Lab honours the user's LIMIT, and its row limit caps a query without one (REST API)."""

from __future__ import annotations

import secrets
from typing import TYPE_CHECKING

import duckdb
import pytest

from dashboards.api import SupersetClient

if TYPE_CHECKING:
    from conftest import LiveSuperset

TABLE = "marts.rpt_indicator_value"


def _run(client: SupersetClient, sql: str, query_limit: int) -> list[dict]:
    databases = client.get("/api/v1/database/", q="(columns:!(id),page_size:10)")["result"]
    body = {
        "database_id": databases[0]["id"],
        "sql": sql,
        "runAsync": False,
        "schema": "marts",
        "client_id": secrets.token_hex(5),
        "queryLimit": query_limit,
    }
    response = client.post("/api/v1/sqllab/execute/", body)
    assert response.status_code == 200, response.text[:2000]
    return response.json()["data"]


@pytest.fixture(scope="module")
def table_rows(live_superset: LiveSuperset) -> int:
    with duckdb.connect(str(live_superset.serving_db), read_only=True) as con:
        (rows,) = con.execute(f"SELECT count(*) FROM {TABLE}").fetchone()
    assert rows > 20, "the table must hold more rows than the limits tried"
    return rows


@pytest.mark.parametrize(
    ("sql", "query_limit", "expected"),
    [
        (f"SELECT * FROM {TABLE} limit 5", 1000, 5),  # the user's LIMIT, under the dropdown
        (f"SELECT indicator_code FROM {TABLE} ORDER BY 1 LIMIT 3;", 1000, 3),
        (f"WITH v AS (SELECT * FROM {TABLE}) SELECT * FROM v LIMIT 4", 1000, 4),
        (f"SELECT * FROM {TABLE}", 7, 7),  # no LIMIT: the dropdown's
        (f"SELECT * FROM {TABLE} LIMIT 100000", 9, 9),  # the smaller of the two
    ],
)
def test_sql_lab_honours_the_users_limit(
    sql: str, query_limit: int, expected: int, superset_client: SupersetClient, table_rows: int
) -> None:
    assert len(_run(superset_client, sql, query_limit)) == expected


def test_sql_lab_returns_every_row_under_both_limits(
    superset_client: SupersetClient, live_superset: LiveSuperset
) -> None:
    small = "marts.dim_indicator"  # fewer rows than SQL Lab displays at most
    with duckdb.connect(str(live_superset.serving_db), read_only=True) as con:
        (rows,) = con.execute(f"SELECT count(*) FROM {small}").fetchone()
    assert 10 < rows < 10_000
    assert len(_run(superset_client, f"SELECT * FROM {small} LIMIT {rows + 10}", rows + 5)) == rows
