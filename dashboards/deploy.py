"""Deploy the dashboards-as-code bundle to a running Superset over its REST API.

    SUPERSET_ADMIN_PASSWORD=… [IOC_DEMO_PASSWORD=…] python -m dashboards.deploy [--url URL]
        [--warehouse DIR]

The bundle (``dashboards/bundle``) is zipped with the database's ``sqlalchemy_uri`` pointing
at this machine's ``<warehouse>/serving/ioc.duckdb``, each dataset's column and metric
descriptions taken from dbt's docs (``dashboards/dbt_docs.py``), and imported through
``POST /api/v1/assets/import/``, which overwrites the database, datasets, charts and
dashboards in one transaction (``/api/v1/dashboard/import/`` never overwrites the datasets and
database, and charts only when re-imported on their own). What earlier deploys imported and
the bundle no longer has is deleted (``dashboards/retire.py``; never what people made). Cached
chart results of the bundle's datasets are then dropped, so a re-deploy after a publish shows
the new data. The roles of ``roles.yaml`` are then created or updated (``dashboards/roles.py``),
with a demo user each when IOC_DEMO_PASSWORD is set.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import zipfile
from pathlib import Path

import yaml

from dashboards import dbt_docs, retire, roles
from dashboards.api import SupersetClient, SupersetError

BUNDLE_DIR = Path(__file__).resolve().parent / "bundle"
REPO_DIR = BUNDLE_DIR.parents[1]
BUNDLE_ROOT = "ioc_dashboards"  # Superset expects every file under one top-level folder


def dashboard_slugs() -> list[str]:
    """The slugs of the bundle's dashboards, in file order."""
    return [
        yaml.safe_load(path.read_text(encoding="utf-8"))["slug"]
        for path in sorted((BUNDLE_DIR / "dashboards").glob("*.yaml"))
    ]


def dashboard_url(base_url: str, slug: str) -> str:
    return f"{base_url}/superset/dashboard/{slug}/"


def serving_database(warehouse: Path) -> Path:
    return warehouse.resolve() / "serving" / "ioc.duckdb"


def render_database_yaml(text: str, warehouse: Path) -> str:
    config = yaml.safe_load(text)
    config["sqlalchemy_uri"] = f"duckdb:///{serving_database(warehouse)}"
    return yaml.safe_dump(config, sort_keys=True, allow_unicode=True)


def render_dataset_yaml(text: str, models: dict[tuple[str, str], dbt_docs.ModelDocs]) -> str:
    config = dbt_docs.describe_dataset(yaml.safe_load(text), models)
    return yaml.safe_dump(config, sort_keys=True, allow_unicode=True)


def build_bundle(warehouse: Path, bundle_dir: Path = BUNDLE_DIR) -> bytes:
    """Zip the bundle in memory, rendering each database YAML for this machine and each
    dataset's column and metric descriptions from dbt's docs (the refresh's manifest)."""
    models = dbt_docs.load_models(dbt_docs.manifest_path(warehouse))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as bundle:
        for path in sorted(bundle_dir.rglob("*.yaml")):
            relative = path.relative_to(bundle_dir)
            text = path.read_text(encoding="utf-8")
            if relative.parts[0] == "databases":
                text = render_database_yaml(text, warehouse)
            elif relative.parts[0] == "datasets":
                text = render_dataset_yaml(text, models)
            bundle.writestr(f"{BUNDLE_ROOT}/{relative.as_posix()}", text)
    return buffer.getvalue()


def deploy(
    base_url: str,
    password: str,
    warehouse: Path,
    username: str = "admin",
    demo_password: str | None = None,
    bundle_dir: Path = BUNDLE_DIR,
) -> str:
    """Import the bundle, delete what earlier deploys imported that it no longer has, apply
    the roles (and demo users, given their password); return the URL of Superset's list of
    dashboards."""
    database = serving_database(warehouse)
    if not database.is_file():
        raise FileNotFoundError(f"No published serving database at {database}")
    with SupersetClient(base_url, username, password) as client:
        client.import_assets(build_bundle(warehouse, bundle_dir))
        retire.remove_retired(client, bundle_dir)
        _invalidate_cached_results(client)
        roles.apply_roles(client, bundle_dataset_ids(client), demo_password)
    return f"{base_url}/dashboard/list/"


def bundle_dataset_ids(client: SupersetClient) -> dict[str, int]:
    """Table name → id of the bundle's datasets in this Superset."""
    tables = {
        yaml.safe_load(path.read_text(encoding="utf-8"))["table_name"]
        for path in (BUNDLE_DIR / "datasets").rglob("*.yaml")
    }
    listing = client.get("/api/v1/dataset/", q="(columns:!(id,table_name),page_size:100)")
    return {
        row["table_name"]: row["id"] for row in listing["result"] if row["table_name"] in tables
    }


def _invalidate_cached_results(client: SupersetClient) -> None:
    """Drop cached chart results of the bundle's datasets, so the new publish shows."""
    bundle_datasets = {
        yaml.safe_load(path.read_text(encoding="utf-8"))["uuid"]
        for path in (BUNDLE_DIR / "datasets").rglob("*.yaml")
    }
    listing = client.get("/api/v1/dataset/", q="(columns:!(id,uuid),page_size:100)")
    uids = [f"{row['id']}__table" for row in listing["result"] if row["uuid"] in bundle_datasets]
    response = client.post("/api/v1/cachekey/invalidate", {"datasource_uids": uids})
    if response.is_error:
        raise SupersetError(f"cache invalidation failed: {response.text[:2000]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    port = os.environ.get("SUPERSET_PORT", "8088")
    parser.add_argument("--url", default=os.environ.get("SUPERSET_URL", f"http://127.0.0.1:{port}"))
    parser.add_argument(
        "--warehouse",
        type=Path,
        default=Path(os.environ.get("IOC_WAREHOUSE", REPO_DIR / "warehouse")),
    )
    args = parser.parse_args(argv)
    password = os.environ.get("SUPERSET_ADMIN_PASSWORD")
    if not password:
        parser.error("set SUPERSET_ADMIN_PASSWORD")
    deploy(args.url, password, args.warehouse, demo_password=os.environ.get("IOC_DEMO_PASSWORD"))
    for slug in dashboard_slugs():
        print(f"Đã triển khai dashboard: {dashboard_url(args.url, slug)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
