"""Superset's log stays clean while every chart of the bundle is asked for its data."""

from __future__ import annotations

from typing import TYPE_CHECKING

import yaml

from dashboards import deploy
from dashboards.api import SupersetClient

if TYPE_CHECKING:
    from conftest import LiveSuperset


def test_chart_requests_log_no_warning(
    live_superset: LiveSuperset, superset_client: SupersetClient
) -> None:
    """Each chart's saved query (before a dashboard's filters choose a period, so guarded
    metrics such as ``tong_gia_tri`` come back empty) logs no warning: Superset 6.1 warned
    "Unexpected metric expression type" for every ratio or guarded metric left empty."""
    log = live_superset.settings.log_file
    start = log.stat().st_size
    uuids = {
        yaml.safe_load(path.read_text("utf-8"))["uuid"]
        for path in (deploy.BUNDLE_DIR / "charts").glob("*.yaml")
    }
    listing = superset_client.get("/api/v1/chart/", q="(columns:!(id,uuid),page_size:100)")
    ids = [row["id"] for row in listing["result"] if row["uuid"] in uuids]
    assert len(ids) == len(uuids)
    for chart_id in ids:
        response = superset_client.chart_data(chart_id)
        assert response.status_code == 200, response.text[:2000]
    with log.open("rb") as text:
        text.seek(start)
        written = text.read().decode("utf-8", errors="replace")
    warnings = [line for line in written.splitlines() if ":WARNING:" in line or ":ERROR:" in line]
    assert warnings == []
