"""Every chart of the deployed bundle shows the figures the published DuckDB file holds."""

from __future__ import annotations

import json
import os
import shutil
import statistics
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import pytest
import yaml

from dashboards import deploy
from dashboards.api import SupersetClient

if TYPE_CHECKING:
    from conftest import LiveSuperset

AGG = "marts.agg_public_service_month"
FCT = "marts.fct_indicator_value"
RECEIVED = "indicator_code = 'DVC_HS_TIEP_NHAN'"

# What each chart must show, computed straight from the file: sums in SQL, ratios in Python.
EXPECTED_SUMS: dict[str, str] = {
    "ho_so_tiep_nhan_giai_quyet_theo_thang": (
        f"SELECT month_start, sum(received), sum(resolved) FROM {AGG} GROUP BY 1"
    ),
    "ty_le_dung_han_theo_thang": (
        f"SELECT month_start, sum(resolved_on_time), sum(resolved) FROM {AGG} GROUP BY 1"
    ),
    "ty_le_dung_han_thang_gan_nhat": (
        f"SELECT month_start, sum(resolved_on_time), sum(resolved) FROM {AGG} GROUP BY 1"
    ),
    "ty_le_truc_tuyen_theo_thang": (
        f"SELECT month_start, sum(received_online), sum(received) FROM {AGG} GROUP BY 1"
    ),
    "ket_qua_theo_co_quan": (
        "SELECT agency_code, sum(received), sum(resolved), sum(resolved_on_time),"
        f" sum(received_online) FROM {AGG} GROUP BY 1"
    ),
    "ho_so_tiep_nhan_thang_gan_nhat": (
        f"SELECT period_start, sum(actual_value) FROM {FCT}"
        f" WHERE {RECEIVED} AND period_type = 'month' GROUP BY 1"
    ),
    "cap_nhat_lan_cuoi": f"SELECT max(refreshed_at) FROM {FCT} WHERE {RECEIVED}",
}


def _pct(numerator: float, denominator: float) -> float | None:
    return None if not denominator else 100 * numerator / denominator


def _expected_rows(chart: str, sums: list[tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    if chart.startswith("ty_le_"):
        return [(key, _pct(num, den)) for key, num, den in sums]
    if chart == "ket_qua_theo_co_quan":
        return [
            (a, rec, res, _pct(on_time, res), _pct(online, rec))
            for a, rec, res, on_time, online in sums
        ]
    return sums


def _plain(value: Any) -> Any:
    """Superset's JSON form of a value: temporal → epoch milliseconds (naive = UTC)."""
    if isinstance(value, datetime):
        return (value if value.tzinfo else value.replace(tzinfo=UTC)).timestamp() * 1000
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC).timestamp() * 1000
    if isinstance(value, Decimal | int) and not isinstance(value, bool):
        return float(value)
    return value


def _approx(rows: list[tuple[Any, ...]]) -> list[Any]:
    return [
        tuple(v if v is None or isinstance(v, str) else pytest.approx(v, rel=1e-9) for v in row)
        for row in rows
    ]


def _by_key(row: tuple[Any, ...]) -> tuple[bool, str]:
    return row[0] is None, str(row[0])


CHARTS = {
    path.stem: yaml.safe_load(path.read_text("utf-8"))
    for path in sorted((deploy.BUNDLE_DIR / "charts").glob("*.yaml"))
}


@pytest.fixture(scope="session")
def chart_ids(superset_client: SupersetClient) -> dict[str, int]:
    listing = superset_client.get("/api/v1/chart/", q="(columns:!(id,uuid),page_size:100)")
    by_uuid = {row["uuid"]: row["id"] for row in listing["result"]}
    return {name: by_uuid[chart["uuid"]] for name, chart in CHARTS.items()}


@pytest.mark.parametrize("chart", sorted(CHARTS))
def test_chart_shows_the_published_figures(
    chart: str,
    chart_ids: dict[str, int],
    superset_client: SupersetClient,
    live_superset: LiveSuperset,
) -> None:
    with duckdb.connect(str(live_superset.serving_db), read_only=True) as con:
        sums = con.execute(EXPECTED_SUMS[chart]).fetchall()
    expected = [tuple(_plain(v) for v in row) for row in _expected_rows(chart, sums)]
    assert expected and expected[0][0] is not None, "the fixture warehouse has data"

    response = superset_client.chart_data(chart_ids[chart])
    assert response.status_code == 200, response.text[:2000]
    (result,) = response.json()["result"]
    shown = [tuple(row[c] for c in result["colnames"]) for row in result["data"]]

    assert sorted(shown, key=_by_key) == _approx(sorted(expected, key=_by_key))
    if chart == "ket_qua_theo_co_quan":  # biggest agencies first
        received = [row[1] for row in shown]
        assert received == sorted(received, reverse=True)


def test_chart_data_latency_and_concurrency(
    chart_ids: dict[str, int],
    superset_client: SupersetClient,
    live_superset: LiveSuperset,
    artifacts_dir: Path,
) -> None:
    """Uncached chart queries: latency one at a time, then a burst of parallel ones."""
    latencies = []
    for _round in range(6):
        for chart_id in chart_ids.values():
            began = time.perf_counter()
            assert superset_client.chart_data(chart_id).status_code == 200
            latencies.append(time.perf_counter() - began)
    burst = list(chart_ids.values()) * 8
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=16) as pool:  # both workers' threads busy
        statuses = list(pool.map(lambda i: superset_client.chart_data(i).status_code, burst))
    burst_seconds = time.perf_counter() - began
    assert statuses == [200] * len(burst)

    quantiles = statistics.quantiles(latencies, n=20)
    timings = {
        "boot_seconds": round(live_superset.boot_seconds, 1),
        "deploy_seconds": round(live_superset.deploy_seconds, 2),
        "chart_data_requests": len(latencies),
        "chart_data_p50_ms": round(statistics.median(latencies) * 1000),
        "chart_data_p95_ms": round(quantiles[18] * 1000),
        "parallel_burst": {
            "requests": len(burst),
            "threads": 16,
            "seconds": round(burst_seconds, 2),
        },
    }
    (artifacts_dir / "superset_timings.json").write_text(json.dumps(timings, indent=2) + "\n")
    assert timings["chart_data_p95_ms"] < 3000, timings


def _is_cached(superset_client: SupersetClient, chart_id: int) -> bool:
    response = superset_client.chart_data(chart_id, force=False)
    assert response.status_code == 200, response.text[:2000]
    return response.json()["result"][0]["is_cached"]


def test_redeploy_overwrites_in_place_and_drops_cached_results(
    chart_ids: dict[str, int], superset_client: SupersetClient, live_superset: LiveSuperset
) -> None:
    chart_id = chart_ids["ket_qua_theo_co_quan"]
    _is_cached(superset_client, chart_id)
    assert _is_cached(superset_client, chart_id)

    settings = live_superset.settings
    deploy.deploy(settings.base_url, settings.admin_password, settings.warehouse)

    assert not _is_cached(superset_client, chart_id)
    listing = superset_client.get("/api/v1/chart/", q="(columns:!(id,uuid),page_size:100)")
    uuid_to_id = {row["uuid"]: row["id"] for row in listing["result"]}
    assert uuid_to_id == {CHARTS[name]["uuid"]: i for name, i in chart_ids.items()}
    assert superset_client.get("/api/v1/dashboard/")["count"] == 1


def test_a_publish_alone_retires_cached_results(
    chart_ids: dict[str, int], superset_client: SupersetClient, live_superset: LiveSuperset
) -> None:
    """The scheduled refresh publishes without calling Superset: results cached from the
    previous copy must not be served for the new one."""
    chart_id = chart_ids["ty_le_dung_han_theo_thang"]
    _is_cached(superset_client, chart_id)
    assert _is_cached(superset_client, chart_id)

    serving = deploy.serving_database(live_superset.settings.warehouse)
    copy = serving.with_name(".republish.tmp")
    shutil.copyfile(serving, copy)
    os.replace(copy, serving)  # what refresh.publish does: same figures, a new copy

    assert not _is_cached(superset_client, chart_id)
    assert _is_cached(superset_client, chart_id)
