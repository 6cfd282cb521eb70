"""Where the warehouse lives, and how source endpoints are configured.

Paths come from ``IOC_WAREHOUSE`` (default: ``warehouse/`` beside this repository).
Source endpoints use Airflow's own conventions so the same values serve Airflow and plain
Python: a connection ``ioc_dichvucong`` is read from ``AIRFLOW_CONN_IOC_DICHVUCONG`` (JSON
form), a variable ``ioc_x`` from ``AIRFLOW_VAR_IOC_X``.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class WarehousePaths:
    root: Path

    @classmethod
    def from_env(cls) -> WarehousePaths:
        return cls(Path(os.environ.get("IOC_WAREHOUSE", REPO_ROOT / "warehouse")).resolve())

    @property
    def lake(self) -> Path:
        return self.root / "lake"

    @property
    def meta(self) -> Path:
        """Ledger and quarantine: part of the lake, read by the `dq` models."""
        return self.lake / "_meta"

    @property
    def build_db(self) -> Path:
        return self.root / "build" / "ioc.duckdb"

    @property
    def serving_db(self) -> Path:
        return self.root / "serving" / "ioc.duckdb"

    @property
    def data_docs(self) -> Path:
        return self.root / "dq" / "data_docs"


@dataclass(frozen=True)
class SourceEndpoint:
    """An HTTP source: base URL and OAuth2 client credentials."""

    base_url: str
    client_id: str
    client_secret: str

    @classmethod
    def from_connection(
        cls, host: str, login: str, password: str, schema: str = "", port: int | None = None
    ) -> SourceEndpoint:
        """Build from Airflow Connection fields; ``host`` may hold a whole base URL."""
        if "://" in host:
            base = host
        else:
            base = f"{schema or 'https'}://{host}" + (f":{port}" if port else "")
        return cls(base.rstrip("/"), login, password)

    @classmethod
    def from_env(cls, conn_id: str) -> SourceEndpoint:
        """Read ``AIRFLOW_CONN_<CONN_ID>`` (JSON or URI form) without importing Airflow."""
        var = f"AIRFLOW_CONN_{conn_id.upper()}"
        raw = os.environ.get(var)
        if not raw:
            raise KeyError(f"connection {conn_id!r} is not configured: set {var}")
        if raw.lstrip().startswith("{"):
            c = json.loads(raw)
            return cls.from_connection(
                c.get("host", ""),
                c.get("login", ""),
                c.get("password", ""),
                c.get("schema", ""),
                c.get("port"),
            )
        u = urlsplit(raw)
        scheme = "https" if u.scheme == "https" else "http"
        port = f":{u.port}" if u.port else ""
        base = f"{scheme}://{u.hostname}{port}{u.path}".rstrip("/")
        return cls(base, unquote(u.username or ""), unquote(u.password or ""))


def get_variable(key: str, default: str | None = None) -> str:
    """Read an Airflow Variable from ``AIRFLOW_VAR_<KEY>`` outside Airflow."""
    value = os.environ.get(f"AIRFLOW_VAR_{key.upper()}", default)
    if value is None:
        raise KeyError(f"variable {key!r} is not configured: set AIRFLOW_VAR_{key.upper()}")
    return value
