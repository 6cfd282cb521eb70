"""The process environment the pipeline runs in: paths, Airflow settings, source
connections and secrets, telemetry switches. Secrets are generated on first use and kept
in the warehouse folder (never committed), so hashes and logins stay stable across runs."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from ingest.common.settings import REPO_ROOT

TELEMETRY_OFF = {
    "DO_NOT_TRACK": "1",
    "SCARF_ANALYTICS": "false",
    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
    "GX_ANALYTICS_ENABLED": "false",
    "AIRFLOW__COSMOS__ENABLE_TELEMETRY": "False",
}
SECRET_NAMES = (
    "sim_client_id",
    "sim_client_secret",
    "pseudonymisation_key",
    "superset_secret_key",
    "superset_admin_password",
)


def load_secrets(warehouse: Path) -> dict[str, str]:
    """The demo's secrets, created once per warehouse with owner-only permissions."""
    path = warehouse / "secrets.json"
    known = json.loads(path.read_text()) if path.exists() else {}
    missing = [n for n in SECRET_NAMES if n not in known]
    if missing:
        for name in missing:
            known[name] = "ioc-demo" if name == "sim_client_id" else secrets.token_urlsafe(32)
        warehouse.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.write_text(json.dumps(known, indent=2))
    return known


API_SOURCES = ("reporting", "dichvucong", "dulich", "giaoduc")
FILE_SOURCES = ("reporting", "ngansach")


def drop_root(warehouse: Path) -> Path:
    """Where the simulated sources drop their files: ``<drop_root>/<source>/``."""
    return warehouse / "drops"


def pipeline_env(warehouse: Path, simulator_url: str) -> dict[str, str]:
    """Variables for Airflow, dbt, GE and the connectors, pointed at ``simulator_url``."""
    s = load_secrets(warehouse)
    airflow_home = warehouse / "airflow"
    connections = {
        f"AIRFLOW_CONN_IOC_{source.upper()}": json.dumps(
            {
                "conn_type": "http",
                "host": f"{simulator_url}/{source}",
                "login": s["sim_client_id"],
                "password": s["sim_client_secret"],
            }
        )
        for source in API_SOURCES
    }
    drops = {
        f"AIRFLOW_VAR_IOC_{source.upper()}_DROP_DIR": str(drop_root(warehouse) / source)
        for source in FILE_SOURCES
    }
    return {
        **TELEMETRY_OFF,
        "IOC_WAREHOUSE": str(warehouse),
        "AIRFLOW_VAR_IOC_PROVINCE": "56",
        "AIRFLOW_HOME": str(airflow_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{airflow_home}/airflow.db",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(airflow_home / "logs"),
        **connections,
        **drops,
        "AIRFLOW_VAR_IOC_PSEUDONYMISATION_KEY": s["pseudonymisation_key"],
    }


def apply(env: dict[str, str]) -> None:
    os.environ.update(env)
