"""Roles as code: each demo user reads exactly its rows, through the chart-data API, and
none of the restricted roles reaches SQL Lab (dashboards/roles.yaml)."""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pytest
import yaml

from dashboards import deploy, roles
from dashboards.api import SupersetClient, SupersetError

if TYPE_CHECKING:
    from conftest import LiveSuperset

ROLES = {role["user"]: role for role in roles.role_definitions()}
TABLES = {  # table name → what DuckDB reads for it
    dataset["table_name"]: f"({dataset['sql']})"
    if dataset["sql"]
    else f"{dataset['schema']}.{dataset['table_name']}"
    for dataset in (
        yaml.safe_load(path.read_text("utf-8"))
        for path in sorted((deploy.BUNDLE_DIR / "datasets").rglob("*.yaml"))
    )
}
# What each restricted demo user may see, written apart from roles.yaml.
SCOPES = {
    "so_vhttdl": ("indicator_group", {"du_lich", "van_hoa", "bao_chi"}),
    "phantich_vhttdl": ("indicator_group", {"du_lich", "van_hoa", "bao_chi"}),
    "ubnd_p_nha_trang": (None, None),  # its unit, by admin_unit_key or admin_unit_code
}


def _count_by(
    client: SupersetClient, dataset_id: int, column: str | None
) -> tuple[int, dict[Any, float]]:
    query: dict[str, Any] = {
        "columns": [column] if column else [],
        "metrics": [{"expressionType": "SQL", "sqlExpression": "COUNT(*)", "label": "n"}],
        "row_limit": 100_000,
        "filters": [],
    }
    body = {
        "datasource": {"id": dataset_id, "type": "table"},
        "force": True,
        "queries": [query],
        "result_format": "json",
        "result_type": "full",
    }
    response = client.post("/api/v1/chart/data", body)
    if response.is_error:
        return response.status_code, {}
    (result,) = response.json()["result"]
    return 200, {row.get(column) if column else None: row["n"] for row in result["data"]}


@pytest.fixture(scope="module")
def dataset_ids(superset_client: SupersetClient) -> dict[str, int]:
    return deploy.bundle_dataset_ids(superset_client)


@pytest.mark.parametrize("user", sorted(ROLES))
def test_role_sees_only_its_rows(
    user: str, dataset_ids: dict[str, int], live_superset: LiveSuperset
) -> None:
    role = ROLES[user]
    scope = roles.dataset_scope(role, sorted(TABLES))
    base_url = live_superset.settings.base_url
    with (
        SupersetClient(base_url, user, live_superset.demo_password) as client,
        duckdb.connect(str(live_superset.serving_db), read_only=True) as con,
    ):
        for table, dataset_id in sorted(dataset_ids.items()):
            source = TABLES[table]
            if table not in scope:
                status, _ = _count_by(client, dataset_id, None)
                assert status in (403, 404), (user, table, status)
                continue
            clause = scope[table]
            column = re.match(r"\w+", clause)[0] if clause else None
            status, shown = _count_by(client, dataset_id, column)
            assert status == 200, (user, table, status)
            (everything,) = con.execute(f"SELECT count(*) FROM {source}").fetchone()
            if clause is None:
                assert shown == {None: everything}, (user, table)
                continue
            expected = dict(
                con.execute(
                    f"SELECT {column}, count(*) FROM {source} WHERE {clause} GROUP BY 1"
                ).fetchall()
            )
            assert shown == expected and 0 < sum(shown.values()) < everything, (user, table)
            allowed_column, allowed = SCOPES[user]
            if allowed_column == column:
                assert set(shown) <= allowed
            else:
                assert all("22366" in str(key) for key in shown), (user, table, set(shown))


def _sql_lab(client: SupersetClient, sql: str) -> Any:
    databases = client.get("/api/v1/database/", q="(columns:!(id),page_size:10)")["result"]
    body = {
        "database_id": databases[0]["id"] if databases else 1,
        "sql": sql,
        "runAsync": False,
        "schema": "marts",
        "client_id": secrets.token_hex(5),
        "queryLimit": 1000,
    }
    return client.post("/api/v1/sqllab/execute/", body)


@pytest.mark.parametrize("user", sorted(u for u, r in ROLES.items() if not r.get("sql_lab")))
def test_no_sql_lab_for_viewer_roles(user: str, live_superset: LiveSuperset) -> None:
    base_url = live_superset.settings.base_url
    with SupersetClient(base_url, user, live_superset.demo_password) as client:
        response = _sql_lab(client, "SELECT count(*) FROM marts.rpt_indicator_value")
    assert response.status_code in (401, 403), (user, response.status_code, response.text[:500])


@pytest.mark.parametrize("user", sorted(u for u, r in ROLES.items() if r.get("sql_lab")))
def test_analyst_sql_lab_keeps_the_row_limits(user: str, live_superset: LiveSuperset) -> None:
    column, allowed = SCOPES[user]
    base_url = live_superset.settings.base_url
    sql = f"SELECT {column}, count(*) AS n FROM marts.rpt_indicator_value GROUP BY 1"
    with (
        SupersetClient(base_url, user, live_superset.demo_password) as client,
        duckdb.connect(str(live_superset.serving_db), read_only=True) as con,
    ):
        response = _sql_lab(client, sql)
        assert response.status_code == 200, response.text[:2000]
        shown = {row[column]: row["n"] for row in response.json()["data"]}
        names = ", ".join(f"'{value}'" for value in sorted(allowed))
        expected = dict(
            con.execute(f"{sql.replace('GROUP', f'WHERE {column} IN ({names}) GROUP')}").fetchall()
        )
        assert shown == expected and expected
        outside = _sql_lab(client, "SELECT count(*) FROM marts.fct_report_submission")
        assert outside.status_code >= 400, outside.text[:500]


DASHBOARD_SLUGS = deploy.dashboard_slugs()


def _dashboard_as(client: SupersetClient, slug: str) -> str:
    """What a user gets of a dashboard: hidden, or how many of its charts show data."""
    try:
        charts = client.get(f"/api/v1/dashboard/{slug}/charts")["result"]
    except SupersetError:
        return "—"
    shown = 0
    for chart in charts:
        data = client.chart_data(chart["id"], force=False)
        if data.status_code == 200 and data.json()["result"][0]["data"]:
            shown += 1
    return "đủ" if shown == len(charts) else f"{shown}/{len(charts)}"


def test_role_dashboard_matrix(live_superset: LiveSuperset, artifacts_dir: Path) -> None:
    """Every demo user × every dashboard: hidden (—), every chart with data (đủ), or how many
    charts it may read. The leader sees every chart of every dashboard; the steward all of
    the data-quality one; the others only their own datasets' charts."""
    base_url = live_superset.settings.base_url
    matrix = {}
    for user in sorted(ROLES):
        with SupersetClient(base_url, user, live_superset.demo_password) as client:
            matrix[user] = {slug: _dashboard_as(client, slug) for slug in DASHBOARD_SLUGS}
    lines = ["| vai trò (người dùng) | " + " | ".join(DASHBOARD_SLUGS) + " |"]
    lines.append("|" + " --- |" * (len(DASHBOARD_SLUGS) + 1))
    for user, row in matrix.items():
        cells = " | ".join(row[slug] for slug in DASHBOARD_SLUGS)
        lines.append(f"| {ROLES[user]['name']} ({user}) | {cells} |")
    table = "\n".join(lines) + "\n"
    (artifacts_dir / "role-dashboard-matrix.md").write_text(table, encoding="utf-8")
    print(table)
    assert set(matrix["lanhdao"].values()) == {"đủ"}, matrix["lanhdao"]
    assert matrix["quanly_dulieu"]["chat-luong-du-lieu"] == "đủ", matrix["quanly_dulieu"]
    for user in ("so_vhttdl", "ubnd_p_nha_trang", "quanly_dulieu"):
        assert matrix[user]["thu-ngan-sach"] != "đủ", (user, matrix[user])
