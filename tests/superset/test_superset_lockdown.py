"""Superset's DuckDB connection cannot read server files or write the published database."""

from __future__ import annotations

import hashlib
import json
from typing import TYPE_CHECKING, Any

import pytest

from dashboards.api import SupersetClient

if TYPE_CHECKING:
    from conftest import LiveSuperset


@pytest.fixture(scope="module")
def database_id(superset_client: SupersetClient) -> int:
    listing = superset_client.get("/api/v1/database/", q="(columns:!(id,database_name))")
    (database,) = listing["result"]
    return database["id"]


def _sql_lab(client: SupersetClient, database_id: int, sql: str) -> tuple[int, dict[str, Any]]:
    body = {"database_id": database_id, "sql": sql, "runAsync": False, "schema": "marts"}
    response = client.post("/api/v1/sqllab/execute/", body)
    return response.status_code, response.json()


def _error(payload: dict[str, Any]) -> str:
    return " ".join(error["message"] for error in payload.get("errors", []))


def test_sql_lab_reads_the_marts(superset_client: SupersetClient, database_id: int) -> None:
    sql = "SELECT count(*) AS n FROM marts.agg_public_service_month"
    status, payload = _sql_lab(superset_client, database_id, sql)
    assert status == 200, payload
    assert payload["data"][0]["n"] > 0


@pytest.mark.parametrize(
    "sql",
    [
        "SELECT * FROM read_csv('/etc/passwd')",  # refused by Superset's function list
        "SELECT * FROM parquet_metadata('/etc/passwd')",  # reaches DuckDB: refused there
        "SELECT * FROM '/etc/passwd'",
        "ATTACH '/etc/passwd' AS leak",
    ],
)
def test_server_files_cannot_be_read(
    superset_client: SupersetClient, database_id: int, sql: str
) -> None:
    status, payload = _sql_lab(superset_client, database_id, sql)
    assert status >= 400 and payload.get("errors"), payload
    assert "root:" not in json.dumps(payload)


def test_no_other_file_of_the_serving_folder_is_reached(
    superset_client: SupersetClient, database_id: int, live_superset: LiveSuperset
) -> None:
    """The serving copy is the one file SQL Lab reaches: not another database of its folder."""
    other = live_superset.serving_db.with_name("other.duckdb")
    for sql in (f"ATTACH '{other}' AS other (READ_ONLY)", f"SELECT * FROM glob('{other}')"):
        status, payload = _sql_lab(superset_client, database_id, sql)
        assert status >= 400 and _error(payload), (sql, payload)


def test_duckdb_itself_is_locked_down(
    superset_client: SupersetClient, database_id: int, live_superset: LiveSuperset
) -> None:
    """The connect hook's settings, as DuckDB reports them inside Superset's connection."""
    sql = (
        "SELECT current_setting('enable_external_access') AS external_access,"
        " current_setting('lock_configuration') AS locked,"
        " current_setting('allowed_directories') AS allowed"
    )
    status, payload = _sql_lab(superset_client, database_id, sql)
    assert status == 200, payload
    (row,) = payload["data"]
    assert row["external_access"] is False and row["locked"] is True
    serving = f"{live_superset.serving_db.parent}/"
    assert all(path.startswith(serving) for path in json.loads(row["allowed"])), row
    _, payload = _sql_lab(superset_client, database_id, "SELECT * FROM glob('/etc/*')")
    assert "Permission Error" in _error(payload)
    _, payload = _sql_lab(superset_client, database_id, "SET enable_external_access = true")
    assert _error(payload), payload


def test_database_is_read_only(
    superset_client: SupersetClient, database_id: int, live_superset: LiveSuperset
) -> None:
    sql = "SELECT readonly FROM duckdb_databases() WHERE database_name = current_database()"
    status, payload = _sql_lab(superset_client, database_id, sql)
    assert status == 200 and payload["data"] == [{"readonly": True}], payload
    for statement in (
        "CREATE TABLE marts.leak AS SELECT 1 AS a",
        "DELETE FROM marts.agg_public_service_month",
    ):
        status, payload = _sql_lab(superset_client, database_id, statement)
        assert status >= 400 and _error(payload), payload
    digest = hashlib.sha256(live_superset.serving_db.read_bytes()).hexdigest()
    assert digest == live_superset.serving_db_sha256, "Superset changed the published file"
