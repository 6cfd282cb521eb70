"""The dashboards-as-code bundle is well formed (no Superset needed)."""

from __future__ import annotations

import io
import json
import re
import unicodedata
import zipfile
from pathlib import Path
from typing import Any

import pytest
import yaml

from dashboards import dbt_docs, deploy

EXPOSURES = deploy.REPO_DIR / "dbt_project" / "models" / "exposures.yml"
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
    placed = {uuid for dashboard in DASHBOARDS.values() for uuid in _placed_charts(dashboard)}
    assert placed == set(charts), "every chart is on a dashboard, every placed chart exists"
    all_uuids = [c["uuid"] for c in BUNDLE.values() if "uuid" in c]
    assert len(all_uuids) == len(set(all_uuids))
    slugs = [dashboard["slug"] for dashboard in DASHBOARDS.values()]
    assert len(slugs) == len(set(slugs)) and deploy.dashboard_slugs() == slugs


DASHBOARDS = _of_kind("dashboards")


def _is_chart(node: Any) -> bool:
    return isinstance(node, dict) and node.get("type") == "CHART"


def _placed_charts(dashboard: dict[str, Any]) -> list[str]:
    return [node["meta"]["uuid"] for node in dashboard["position"].values() if _is_chart(node)]


@pytest.mark.parametrize("name", sorted(DASHBOARDS))
def test_dashboard_is_published_with_a_root_grid_row_layout(name: str) -> None:
    dashboard = DASHBOARDS[name]
    position = dashboard["position"]
    assert dashboard["published"] is True
    assert "tỉnh Khánh Hòa" in dashboard["dashboard_title"]
    assert position["HEADER_ID"]["meta"]["text"] == dashboard["dashboard_title"]
    assert position["ROOT_ID"]["children"] == ["GRID_ID"]
    rows = position["GRID_ID"]["children"]
    assert rows and all(position[row]["type"] == "ROW" for row in rows)
    for row in rows:
        children = [position[child] for child in position[row]["children"]]
        assert all(child["parents"] == ["ROOT_ID", "GRID_ID", row] for child in children)
        assert sum(child["meta"]["width"] for child in children) <= 12
    placed = _placed_charts(dashboard)
    assert len(placed) == len(set(placed))
    charts = {c["uuid"]: c for c in _of_kind("charts").values()}
    for node in position.values():
        if _is_chart(node):
            assert node["meta"]["sliceName"] == charts[node["meta"]["uuid"]]["slice_name"]
    nodes = [node for node in position.values() if isinstance(node, dict)]
    markdown = [node["meta"]["code"] for node in nodes if node["type"] == "MARKDOWN"]
    assert any(m.startswith("### Nguồn dữ liệu\n") for m in markdown), "says where data come from"


def test_no_business_sql_in_superset() -> None:
    """Every dataset is physical: a dbt model of the serving copy, none a Superset query."""
    datasets = _of_kind("datasets")
    assert datasets
    virtual = sorted(name for name, dataset in datasets.items() if dataset.get("sql"))
    assert virtual == [], f"virtual datasets (their SQL belongs in dbt): {virtual}"
    models = {path.stem for path in (deploy.REPO_DIR / "dbt_project" / "models").rglob("*.sql")}
    assert {dataset["table_name"] for dataset in datasets.values()} <= models


def _marts_read(dataset: dict[str, Any]) -> set[str]:
    return {dataset["table_name"]}


@pytest.mark.parametrize("name", sorted(DASHBOARDS))
def test_each_dashboard_has_a_dbt_exposure_on_the_marts_it_reads(name: str) -> None:
    dashboard = DASHBOARDS[name]
    exposures = yaml.safe_load(EXPOSURES.read_text("utf-8"))["exposures"]
    (exposure,) = [
        e for e in exposures if e["url"].endswith(f"/superset/dashboard/{dashboard['slug']}/")
    ]
    assert exposure["type"] == "dashboard"
    datasets = {d["uuid"]: d for d in _of_kind("datasets").values()}
    charts = {c["uuid"]: c for c in _of_kind("charts").values()}
    read = {
        mart
        for uuid in _placed_charts(dashboard)
        for mart in _marts_read(datasets[charts[uuid]["dataset_uuid"]])
    }
    assert read <= {re.fullmatch(r"ref\('(\w+)'\)", d)[1] for d in exposure["depends_on"]}


def test_percentages_are_ratios_of_sums_never_averages() -> None:
    metrics = [m for d in _of_kind("datasets").values() for m in d["metrics"]]
    percentages = [m for m in metrics if "%" in m["verbose_name"]]
    assert len(percentages) >= 2
    for metric in percentages:
        expression = metric["expression"].upper()
        aggregates = expression.count("SUM(") + expression.count("COUNT(")
        # a ratio of sums, or (a pace) a ratio of two such ratios
        assert "AVG(" not in expression and aggregates in (2, 4), expression
    chart_metrics = [
        metric for chart in _of_kind("charts").values() for metric in _metrics(chart["params"])
    ]
    assert all(isinstance(m, str) for m in chart_metrics), "charts use the dataset's metrics"


def _metrics(params: dict[str, Any]) -> list[str]:
    if params.get("query_mode") == "raw":
        return []
    return params.get("metrics", [params.get("metric")])


def _grouped_by(params: dict[str, Any]) -> list[str]:
    """The columns a chart's UI groups by (besides its x-axis), as its saved query must."""
    if params["viz_type"] == "pivot_table_v2":
        return params["groupbyRows"] + params["groupbyColumns"]
    if params.get("query_mode") == "raw":
        return params["all_columns"]
    return params.get("groupby", [])


def _ordered_by(params: dict[str, Any]) -> list[list[Any]] | None:
    if params.get("query_mode") == "raw":
        return [json.loads(column) for column in params["order_by_cols"]] or None
    if params.get("timeseries_limit_metric"):
        return [[params["timeseries_limit_metric"], not params["order_desc"]]]
    return None


def test_every_chart_has_a_query_context_matching_its_params() -> None:
    for name, chart in _of_kind("charts").items():
        params = chart["params"]
        assert params["viz_type"] == chart["viz_type"], name
        (query,) = yaml.safe_load(chart["query_context"])["queries"]  # JSON is YAML
        raw = params.get("query_mode") == "raw"  # rows as they are: no metrics, no GROUP BY
        assert query["metrics"] == (None if raw else _metrics(params)), name
        filters = {
            (f["subject"], f["operator"], json.dumps(f["comparator"]))
            for f in params["adhoc_filters"]
        }
        shown = {(f["col"], f["op"], json.dumps(f["val"])) for f in query["filters"]}
        assert shown == filters, name
        axis = [c["sqlExpression"] for c in query["columns"] if isinstance(c, dict)]
        assert axis == ([params["x_axis"]] if "x_axis" in params else []), name
        grouped = [c for c in query["columns"] if isinstance(c, str)]
        assert grouped == _grouped_by(params), name
        assert query.get("orderby") == _ordered_by(params), name


def _write_manifest(warehouse: Path) -> dict[str, str]:
    """A dbt manifest describing every column of the bundle's datasets, one text each; the
    first metric of each dataset has a meaning in meta. Returns the texts by column."""
    texts, nodes = {}, {}
    for dataset in _of_kind("datasets").values():
        table = dataset["table_name"]
        columns = {}
        for column in dataset["columns"]:
            text = f"Mô tả {table}.{column['column_name']} (dbt)"
            texts[f"{table}.{column['column_name']}"] = text
            columns[column["column_name"]] = {"name": column["column_name"], "description": text}
        meta = {"superset_metrics": {dataset["metrics"][0]["metric_name"]: f"Ý nghĩa {table}"}}
        nodes[f"model.ioc.{table}"] = {
            "resource_type": "model",
            "name": table,
            "alias": table,
            "schema": dataset["schema"],
            "description": "",
            "columns": columns,
            "config": {"meta": meta},
        }
    path = dbt_docs.manifest_path(warehouse)
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"nodes": nodes}), encoding="utf-8")
    return texts


def test_yaml_types_no_column_or_metric_description() -> None:
    """Descriptions come from dbt's docs at deploy, never typed in the bundle."""
    for name, dataset in _of_kind("datasets").items():
        typed = [c["column_name"] for c in dataset["columns"] if c["description"] is not None]
        typed += [m["metric_name"] for m in dataset["metrics"] if m["description"] is not None]
        assert typed == [], f"{name}: descriptions typed in the bundle: {typed}"


def test_bundle_takes_descriptions_from_dbt_docs(tmp_path: Path) -> None:
    texts = _write_manifest(tmp_path)
    archive = zipfile.ZipFile(io.BytesIO(deploy.build_bundle(tmp_path)))
    rendered = [
        yaml.safe_load(archive.read(name)) for name in archive.namelist() if "/datasets/" in name
    ]
    assert len(rendered) == len(_of_kind("datasets"))
    for dataset in rendered:
        table = dataset["table_name"]
        for column in dataset["columns"]:
            assert column["description"] == texts[f"{table}.{column['column_name']}"]
        first, *others = dataset["metrics"]
        assert first["description"].startswith(f"Ý nghĩa {table} Công thức (formula): ")
        for metric in dataset["metrics"]:
            words = set(re.findall(r"\w+", metric["expression"]))
            read = [c for c in dataset["columns"] if c["column_name"] in words]
            assert " ".join(metric["expression"].split()) in metric["description"]
            assert all(c["description"] in metric["description"] for c in read), metric
            if "COUNT(*)" in metric["expression"]:
                assert dbt_docs.ROW_COUNT in metric["description"]
        assert all(not m["description"].startswith("Ý nghĩa") for m in others)


def test_bundle_zip_renders_this_machines_database_path(tmp_path: Path) -> None:
    _write_manifest(tmp_path)
    archive = zipfile.ZipFile(io.BytesIO(deploy.build_bundle(tmp_path)))
    names = archive.namelist()
    assert sorted(names) == sorted(f"{deploy.BUNDLE_ROOT}/{name}" for name in BUNDLE)
    (database_file,) = [n for n in names if "/databases/" in n]
    database = yaml.safe_load(archive.read(database_file))
    assert database["sqlalchemy_uri"] == f"duckdb:///{tmp_path.resolve()}/serving/ioc.duckdb"
    assert database["extra"]["engine_params"]["connect_args"] == {"read_only": True}
    assert database["allow_dml"] is False and database["allow_csv_upload"] is False


def _dbt_model(table: str) -> dict[str, Any]:
    (path,) = (deploy.REPO_DIR / "dbt_project" / "models").rglob(f"{table}.yml")
    (model,) = [m for m in yaml.safe_load(path.read_text("utf-8"))["models"] if m["name"] == table]
    return model


@pytest.mark.parametrize("name", sorted(_of_kind("datasets")))
def test_dbt_documents_every_column_and_metric_meaning_of_the_dataset(name: str) -> None:
    dataset = _of_kind("datasets")[name]
    model = _dbt_model(dataset["table_name"])
    described = {c["name"] for c in model["columns"] if (c.get("description") or "").strip()}
    missing = [c["column_name"] for c in dataset["columns"] if c["column_name"] not in described]
    assert missing == [], f"{name}: columns without a dbt description: {missing}"
    meanings = model.get("config", {}).get("meta", {}).get("superset_metrics", {})
    assert set(meanings) <= {m["metric_name"] for m in dataset["metrics"]}, "no stale meaning"
