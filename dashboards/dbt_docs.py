"""Column and metric descriptions of Superset's datasets, taken from dbt's docs.

A dataset of the bundle is a dbt model of the serving copy (``schema`` + ``table_name``).
Its columns are described once, in the model's YAML beside its SQL; dbt renders those
descriptions (``doc()`` blocks included) into ``manifest.json`` at every invocation. At
deploy the bundle's datasets get them from there, so nothing is typed twice:

- a column: its model column's description;
- a metric: what the model's ``meta.superset_metrics`` says of it, if anything, then its
  formula and the description of every column it reads (``SUM(total_points)`` → the
  description of ``total_points``).

The bundle's own YAML keeps ``description: null`` for columns and metrics (a test says so).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROW_COUNT = "Số dòng (row count)."


@dataclass(frozen=True)
class ModelDocs:
    description: str
    columns: dict[str, str]
    metrics: dict[str, str]  # meta.superset_metrics: what a metric means, beyond its formula


def manifest_path(warehouse: Path) -> Path:
    """Where the refresh's dbt invocations write their artifacts (``refresh/dbt.py``)."""
    return warehouse.resolve() / "build" / "dbt_target" / "manifest.json"


def load_models(manifest: Path) -> dict[tuple[str, str], ModelDocs]:
    """(schema, table) → the model's docs, for every model of the manifest."""
    if not manifest.is_file():
        raise FileNotFoundError(
            f"No dbt manifest at {manifest}: run a refresh (it writes dbt's docs there) first"
        )
    nodes = json.loads(manifest.read_text(encoding="utf-8"))["nodes"].values()
    return {
        (node["schema"], node.get("alias") or node["name"]): ModelDocs(
            node.get("description") or "",
            {name: col.get("description") or "" for name, col in node["columns"].items()},
            dict(node["config"].get("meta", {}).get("superset_metrics") or {}),
        )
        for node in nodes
        if node["resource_type"] == "model"
    }


def _clean(text: str) -> str:
    return " ".join(text.split())


def metric_description(expression: str, columns: dict[str, str], meaning: str = "") -> str:
    """What the metric means (if dbt says), its formula, what each column it reads is."""
    read = [
        name
        for name in dict.fromkeys(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", expression))
        if name in columns
    ]
    parts = [_clean(meaning)] if meaning else []
    parts.append(f"Công thức (formula): {_clean(expression)}.")
    parts += [f"{name}: {_clean(columns[name])}" for name in read if columns[name]]
    if re.search(r"COUNT\(\s*\*\s*\)", expression, re.IGNORECASE):
        parts.append(ROW_COUNT)
    return " ".join(parts)


def describe_dataset(
    dataset: dict[str, Any], models: dict[tuple[str, str], ModelDocs]
) -> dict[str, Any]:
    """The dataset with every column and metric described from its dbt model's docs."""
    key = (dataset["schema"], dataset["table_name"])
    if key not in models:
        raise KeyError(f"dataset {'.'.join(key)} is no dbt model: its docs cannot be found")
    model = models[key]
    docs = model.columns
    columns = [
        {**column, "description": _clean(docs.get(column["column_name"], "")) or None}
        for column in dataset["columns"]
    ]
    metrics = [
        {
            **metric,
            "description": metric_description(
                metric["expression"], docs, model.metrics.get(metric["metric_name"], "")
            ),
        }
        for metric in dataset["metrics"]
    ]
    return {**dataset, "columns": columns, "metrics": metrics}
