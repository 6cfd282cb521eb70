"""Remove from Superset the assets an earlier deploy imported that the bundle no longer has.

Every file of the bundle says ``is_managed_externally: true``, and Superset keeps that flag on
what it imports: a dashboard, chart or dataset carrying it came from a bundle; one made in the
UI never does. Those of them whose UUID the bundle no longer lists were removed from it, and
are deleted — dashboards first, then charts, then datasets — unless something a person made
still uses them (a chart on their own dashboard, a dataset under their own chart): those stay,
and are named in the log.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from dashboards.api import SupersetClient

log = logging.getLogger(__name__)

PAGE_SIZE = 100
KINDS = ("dashboards", "charts", "datasets")


@dataclass
class Retired:
    """What a deploy deleted, and what it kept because people's own assets use it."""

    deleted: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in KINDS})
    kept: dict[str, list[str]] = field(default_factory=lambda: {k: [] for k in KINDS})


def bundle_uuids(bundle_dir: Path) -> dict[str, set[str]]:
    """The UUIDs of the bundle's dashboards, charts and datasets."""
    return {
        kind: {
            yaml.safe_load(path.read_text(encoding="utf-8"))["uuid"]
            for path in (bundle_dir / kind).rglob("*.yaml")
        }
        for kind in KINDS
    }


def _listing(client: SupersetClient, resource: str, columns: str) -> Iterator[dict[str, Any]]:
    page = 0
    while True:
        q = f"(columns:!({columns}),page:{page},page_size:{PAGE_SIZE})"
        rows = client.get(f"/api/v1/{resource}/", q=q)["result"]
        yield from rows
        if len(rows) < PAGE_SIZE:
            return
        page += 1


def remove_retired(client: SupersetClient, bundle_dir: Path) -> Retired:
    """Delete the bundle-made assets the bundle no longer has (see the module's docstring)."""
    current = bundle_uuids(bundle_dir)
    retired = Retired()

    dashboards = list(
        _listing(client, "dashboard", "id,uuid,is_managed_externally,dashboard_title")
    )
    gone_dashboards = {
        row["id"]
        for row in dashboards
        if row["is_managed_externally"] and row["uuid"] not in current["dashboards"]
    }
    for row in dashboards:
        if row["id"] in gone_dashboards:
            client.delete(f"/api/v1/dashboard/{row['id']}")
            retired.deleted["dashboards"].append(row["dashboard_title"])

    charts = list(
        _listing(client, "chart", "id,uuid,is_managed_externally,slice_name,dashboards.id")
    )
    for row in charts:
        if not row["is_managed_externally"] or row["uuid"] in current["charts"]:
            continue
        if {d["id"] for d in row.get("dashboards") or []} - gone_dashboards:
            retired.kept["charts"].append(row["slice_name"])  # on a dashboard that stays
            continue
        client.delete(f"/api/v1/chart/{row['id']}")
        retired.deleted["charts"].append(row["slice_name"])

    used = {row["datasource_id"] for row in _listing(client, "chart", "id,datasource_id")}
    for row in _listing(client, "dataset", "id,uuid,table_name"):
        if row["uuid"] in current["datasets"]:
            continue
        if not client.get(f"/api/v1/dataset/{row['id']}")["result"]["is_managed_externally"]:
            continue  # a person's own dataset
        if row["id"] in used:
            retired.kept["datasets"].append(row["table_name"])  # under a chart that stays
            continue
        client.delete(f"/api/v1/dataset/{row['id']}")
        retired.deleted["datasets"].append(row["table_name"])

    for kind, names in retired.deleted.items():
        for name in names:
            log.info("deleted %s %r: no longer in the bundle", kind, name)
    for kind, names in retired.kept.items():
        for name in names:
            log.warning("kept %s %r: no longer in the bundle, but still in use", kind, name)
    return retired
