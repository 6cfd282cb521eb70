"""The dashboards-as-code bundle is well formed (no Superset needed)."""

from __future__ import annotations

import io
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from dashboards import deploy

BUNDLE = {
    path.relative_to(deploy.BUNDLE_DIR).as_posix(): yaml.safe_load(path.read_text("utf-8"))
    for path in sorted(deploy.BUNDLE_DIR.rglob("*.yaml"))
}


def _of_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {name: config for name, config in BUNDLE.items() if name.startswith(f"{kind}/")}


def _walk(node: Any) -> Any:
    yield node
    children = node.values() if isinstance(node, dict) else node if isinstance(node, list) else []
    for child in children:
        yield from _walk(child)


@pytest.mark.parametrize("name", sorted(BUNDLE))
def test_keys_are_sorted_and_text_is_nfc(name: str) -> None:
    for node in _walk(BUNDLE[name]):
        if isinstance(node, dict):
            assert list(node) == sorted(node), f"{name}: unsorted keys {list(node)}"
        if isinstance(node, str):
            assert unicodedata.is_normalized("NFC", node), f"{name}: not NFC: {node!r}"


def test_uuids_link_charts_to_datasets_to_the_database() -> None:
    databases = {c["uuid"] for c in _of_kind("databases").values()}
    datasets = {c["uuid"]: c for c in _of_kind("datasets").values()}
    charts = {c["uuid"]: c for c in _of_kind("charts").values()}
    assert len(databases) == 1
    assert {d["database_uuid"] for d in datasets.values()} == databases
    assert {c["dataset_uuid"] for c in charts.values()} == set(datasets)
    (dashboard,) = _of_kind("dashboards").values()
    placed = {v["meta"]["uuid"] for v in dashboard["position"].values() if _is_chart(v)}
    assert placed == set(charts)
    all_uuids = [c["uuid"] for c in BUNDLE.values() if "uuid" in c]
    assert len(all_uuids) == len(set(all_uuids))


def _is_chart(node: Any) -> bool:
    return isinstance(node, dict) and node.get("type") == "CHART"


def test_dashboard_is_published_with_a_root_grid_row_layout() -> None:
    (dashboard,) = _of_kind("dashboards").values()
    position = dashboard["position"]
    assert dashboard["published"] is True
    assert "tỉnh Khánh Hòa" in dashboard["dashboard_title"]
    assert position["ROOT_ID"]["children"] == ["GRID_ID"]
    rows = position["GRID_ID"]["children"]
    assert rows and all(position[row]["type"] == "ROW" for row in rows)
    for row in rows:
        children = [position[child] for child in position[row]["children"]]
        assert all(child["parents"] == ["ROOT_ID", "GRID_ID", row] for child in children)
        assert sum(child["meta"]["width"] for child in children) <= 12
    nodes = [node for node in position.values() if isinstance(node, dict)]
    markdown = [node["meta"]["code"] for node in nodes if node["type"] == "MARKDOWN"]
    assert any("Hệ thống thông tin giải quyết thủ tục hành chính" in m for m in markdown)


def test_percentages_are_ratios_of_sums_never_averages() -> None:
    metrics = [m for d in _of_kind("datasets").values() for m in d["metrics"]]
    percentages = [m for m in metrics if "%" in m["verbose_name"]]
    assert len(percentages) >= 2
    for metric in percentages:
        expression = metric["expression"].upper()
        assert "AVG(" not in expression and expression.count("SUM(") == 2, expression
    chart_metrics = [
        metric
        for chart in _of_kind("charts").values()
        for metric in chart["params"].get("metrics", [chart["params"].get("metric")])
    ]
    assert all(isinstance(m, str) for m in chart_metrics), "charts use the dataset's metrics"


def test_every_chart_has_a_query_context_matching_its_params() -> None:
    for name, chart in _of_kind("charts").items():
        params = chart["params"]
        (query,) = yaml.safe_load(chart["query_context"])["queries"]  # JSON is YAML
        assert query["metrics"] == params.get("metrics", [params.get("metric")]), name
        filters = {(f["subject"], f["operator"], f["comparator"]) for f in params["adhoc_filters"]}
        assert {(f["col"], f["op"], f["val"]) for f in query["filters"]} == filters, name
        axis = [c["sqlExpression"] for c in query["columns"] if isinstance(c, dict)]
        assert axis == ([params["x_axis"]] if "x_axis" in params else []), name


def test_bundle_zip_renders_this_machines_database_path(tmp_path: Path) -> None:
    archive = zipfile.ZipFile(io.BytesIO(deploy.build_bundle(tmp_path)))
    names = archive.namelist()
    assert sorted(names) == sorted(f"{deploy.BUNDLE_ROOT}/{name}" for name in BUNDLE)
    (database_file,) = [n for n in names if "/databases/" in n]
    database = yaml.safe_load(archive.read(database_file))
    assert database["sqlalchemy_uri"] == f"duckdb:///{tmp_path.resolve()}/serving/ioc.duckdb"
    assert database["extra"]["engine_params"]["connect_args"] == {"read_only": True}
    assert database["allow_dml"] is False and database["allow_csv_upload"] is False
