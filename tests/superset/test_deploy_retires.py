"""A deploy deletes what an earlier deploy imported and the bundle no longer has, and never
what people made themselves (or what their own assets still use)."""

from __future__ import annotations

import json
import shutil
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from dashboards import deploy, retire
from dashboards.api import SupersetClient

if TYPE_CHECKING:
    from conftest import LiveSuperset

DATASETS = deploy.BUNDLE_DIR / "datasets" / "kho_du_lieu_ioc"
# Marts no dataset of the bundle reads (the stale fct_report_submission dataset was one).
RETIRED_TABLES = ("fct_report_submission", "fct_indicator_alert")


def _write(path: Path, config: dict[str, Any]) -> None:
    path.write_text(yaml.safe_dump(config, sort_keys=True, allow_unicode=True), encoding="utf-8")


def _older_bundle(folder: Path) -> dict[str, str]:
    """The bundle as an earlier release had it: two more datasets, a chart on each, and a
    dashboard with the first chart. Returns the extra assets' UUIDs by name."""
    bundle = folder / "bundle"
    shutil.copytree(deploy.BUNDLE_DIR, bundle)
    template = yaml.safe_load((DATASETS / "rpt_report_submission.yaml").read_text("utf-8"))
    chart = yaml.safe_load(
        (deploy.BUNDLE_DIR / "charts" / "ty_le_bao_cao_dung_han_thang_gan_nhat.yaml").read_text(
            "utf-8"
        )
    )
    ids = {name: str(uuid.uuid4()) for name in ("ds_a", "ds_b", "chart_a", "chart_b", "dash")}
    for key, table in zip(("ds_a", "ds_b"), RETIRED_TABLES, strict=True):
        dataset = {**template, "table_name": table, "uuid": ids[key], "columns": [], "metrics": []}
        _write(bundle / "datasets" / "kho_du_lieu_ioc" / f"{table}.yaml", dataset)
    for key, dataset_key in (("chart_a", "ds_a"), ("chart_b", "ds_b")):
        old = {**chart, "uuid": ids[key], "dataset_uuid": ids[dataset_key], "slice_name": key}
        _write(bundle / "charts" / f"{key}.yaml", old)
    position = {
        "DASHBOARD_VERSION_KEY": "v2",
        "ROOT_ID": {"children": ["GRID_ID"], "id": "ROOT_ID", "type": "ROOT"},
        "GRID_ID": {"children": ["ROW-1"], "id": "GRID_ID", "parents": ["ROOT_ID"], "type": "GRID"},
        "ROW-1": {
            "children": ["CHART-a"],
            "id": "ROW-1",
            "meta": {"background": "BACKGROUND_TRANSPARENT"},
            "parents": ["ROOT_ID", "GRID_ID"],
            "type": "ROW",
        },
        "CHART-a": {
            "children": [],
            "id": "CHART-a",
            "meta": {"chartId": 0, "height": 50, "uuid": ids["chart_a"], "width": 4},
            "parents": ["ROOT_ID", "GRID_ID", "ROW-1"],
            "type": "CHART",
        },
    }
    dashboard = {
        "dashboard_title": "Bảng điều khiển đã bỏ",
        "slug": "da-bo",
        "uuid": ids["dash"],
        "position": position,
        "metadata": {},
        "css": "",
        "description": None,
        "certified_by": None,
        "certification_details": None,
        "published": True,
        "is_managed_externally": True,
        "external_url": None,
        "version": "1.0.0",
    }
    _write(bundle / "dashboards" / "da_bo.yaml", dashboard)
    return ids


def _by_uuid(client: SupersetClient, resource: str) -> dict[str, int]:
    rows = retire._listing(client, resource, "id,uuid")
    return {row["uuid"]: row["id"] for row in rows}


def _created(client: SupersetClient, path: str, body: dict[str, Any]) -> int:
    response = client.post(path, body)
    assert response.status_code == 201, response.text[:2000]
    return response.json()["id"]


def test_deploy_deletes_retired_assets_only(
    live_superset: LiveSuperset, superset_client: SupersetClient, tmp_path: Path
) -> None:
    client = superset_client
    settings = live_superset.settings
    ids = _older_bundle(tmp_path)
    client.import_assets(deploy.build_bundle(live_superset.settings.warehouse, tmp_path / "bundle"))
    datasets, charts = _by_uuid(client, "dataset"), _by_uuid(client, "chart")
    assert {ids["ds_a"], ids["ds_b"]} <= datasets.keys()
    assert {ids["chart_a"], ids["chart_b"]} <= charts.keys()
    assert ids["dash"] in _by_uuid(client, "dashboard")

    # What people made: a dataset of their own, their chart on the old dataset B, and their
    # dashboard holding the old chart B.
    (database_id,) = (row["id"] for row in client.get("/api/v1/database/")["result"])
    own_dataset = _created(
        client,
        "/api/v1/dataset/",
        {"database": database_id, "schema": "marts", "table_name": "dim_indicator"},
    )
    own_chart = _created(
        client,
        "/api/v1/chart/",
        {
            "slice_name": "Biểu đồ riêng",
            "viz_type": "table",
            "datasource_id": datasets[ids["ds_b"]],
            "datasource_type": "table",
            "params": json.dumps({"query_mode": "raw", "all_columns": []}),
        },
    )
    own_dashboard = _created(client, "/api/v1/dashboard/", {"dashboard_title": "Của tôi"})
    moved = client.put(f"/api/v1/chart/{charts[ids['chart_b']]}", {"dashboards": [own_dashboard]})
    assert moved.status_code == 200, moved.text[:2000]

    deploy.deploy(
        settings.base_url,
        settings.admin_password,
        settings.warehouse,
        demo_password=live_superset.demo_password,
    )

    datasets, charts = _by_uuid(client, "dataset"), _by_uuid(client, "chart")
    dashboards = _by_uuid(client, "dashboard")
    current = retire.bundle_uuids(deploy.BUNDLE_DIR)
    assert current["datasets"] <= datasets.keys()
    assert current["charts"] <= charts.keys()
    assert current["dashboards"] <= dashboards.keys()
    # gone: the old dashboard, its chart and that chart's dataset
    assert ids["dash"] not in dashboards
    assert ids["chart_a"] not in charts
    assert ids["ds_a"] not in datasets
    # kept: the old chart on a person's dashboard, the old dataset under a person's chart,
    # and everything people made
    assert ids["chart_b"] in charts and ids["ds_b"] in datasets
    assert own_dataset in datasets.values()
    assert own_chart in charts.values()
    assert own_dashboard in dashboards.values()

    # Once people's assets no longer use them, the next deploy deletes the old ones too.
    for path in (f"/api/v1/dashboard/{own_dashboard}", f"/api/v1/chart/{own_chart}"):
        client.delete(path)
    retired = retire.remove_retired(client, deploy.BUNDLE_DIR)
    assert retired.deleted == {
        "dashboards": [],
        "charts": ["chart_b"],
        "datasets": [RETIRED_TABLES[1]],
    }
    assert retired.kept == {"dashboards": [], "charts": [], "datasets": []}
    assert own_dataset in _by_uuid(client, "dataset").values()
    client.delete(f"/api/v1/dataset/{own_dataset}")
