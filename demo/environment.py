"""The process environment the pipeline runs in: paths, Airflow settings, source
connections and secrets, telemetry switches. Secrets are generated on first use and kept
in the warehouse folder (never committed), so hashes and logins stay stable across runs."""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from ingest.common.settings import REPO_ROOT
from ioc.sources import PROVINCE_VARIABLE, PSEUDONYMISATION_KEY, SOURCES, env_name

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
    "airflow_jwt_secret",
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


def drop_root(warehouse: Path) -> Path:
    """Where the simulated sources drop their files: ``<drop_root>/<source>/``."""
    return warehouse / "drops"


def airflow_env(warehouse: Path, api_port: int = 8080) -> dict[str, str]:
    """Where Airflow, dbt, GE and the connectors keep their state, telemetry off, the
    project's DAGs; the metadata database is SQLite under the warehouse unless
    ``AIRFLOW__DATABASE__SQL_ALCHEMY_CONN`` is set (see ``operator_env``). No sources."""
    airflow_home = warehouse / "airflow"
    return {
        **TELEMETRY_OFF,
        "IOC_WAREHOUSE": str(warehouse),
        "AIRFLOW_HOME": str(airflow_home),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__CORE__DEFAULT_TIMEZONE": "Asia/Ho_Chi_Minh",
        # task processes at once (Airflow's default, 32, is far beyond a 2-core machine);
        # an operator's larger machine sets it in ioc.env
        "AIRFLOW__CORE__PARALLELISM": "4",
        # SQLite's writers take turns: a request waits up to 30 s for the lock (the driver's
        # 5 s made the REST API answer 500 to a trigger while the scheduler wrote, under load)
        "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{airflow_home}/airflow.db?timeout=30",
        "AIRFLOW__LOGGING__BASE_LOG_FOLDER": str(airflow_home / "logs"),
        "AIRFLOW__API__HOST": "127.0.0.1",
        "AIRFLOW__API__PORT": str(api_port),
        "AIRFLOW__CORE__EXECUTION_API_SERVER_URL": f"http://127.0.0.1:{api_port}/execution/",
        "AIRFLOW__API_AUTH__JWT_SECRET": load_secrets(warehouse)["airflow_jwt_secret"],
    }


def operator_env(warehouse: Path, current: dict[str, str]) -> dict[str, str]:
    """``airflow_env`` under what the operator set (``current``, e.g. ``ioc.env``): an
    operator's ``AIRFLOW__DATABASE__SQL_ALCHEMY_CONN`` (PostgreSQL) or ``AIRFLOW_HOME`` wins."""
    return {**airflow_env(warehouse), **current}


def simulator_sources(warehouse: Path, simulator_url: str) -> dict[str, str]:
    """The five sources configured as the simulator at ``simulator_url`` (the demo)."""
    s = load_secrets(warehouse)
    out = {
        env_name("var", PROVINCE_VARIABLE): "56",
        env_name("var", PSEUDONYMISATION_KEY): s["pseudonymisation_key"],
    }
    for source in SOURCES.values():
        if source.conn_id:
            out[env_name("conn", source.conn_id)] = json.dumps(
                {
                    "conn_type": "http",
                    "host": f"{simulator_url}/{source.name}",
                    "login": s["sim_client_id"],
                    "password": s["sim_client_secret"],
                }
            )
        if source.drop_variable:
            out[env_name("var", source.drop_variable)] = str(drop_root(warehouse) / source.name)
    return out


def pipeline_env(warehouse: Path, simulator_url: str) -> dict[str, str]:
    """Everything a run against the simulator needs (the demo, the end-to-end tests)."""
    return {**airflow_env(warehouse), **simulator_sources(warehouse, simulator_url)}


def apply(env: dict[str, str]) -> None:
    os.environ.update(env)
