"""Where the warehouse lives, and how source endpoints are configured.

Paths come from ``IOC_WAREHOUSE`` (default: ``warehouse/`` beside this repository).
Source endpoints use Airflow's own conventions so the same values serve Airflow and plain
Python: a connection ``ioc_dichvucong`` is read from ``AIRFLOW_CONN_IOC_DICHVUCONG`` (JSON
or URI form, parsed as Airflow parses it), a variable ``ioc_x`` from ``AIRFLOW_VAR_IOC_X``;
``SourceEndpoint.from_connection`` turns the fields into a base URL in both cases.
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
    # One province of a many-province warehouse (GSO code): its lake is <root>/lake/province=<code>
    # (its staging, ledger, quarantine, raw archive), its loads go live in the shared tables
    # <root>/lake/<source>/<dataset>/province=<code>/ (ingest/common/lake.py: live_dir).
    province: str | None = None

    @classmethod
    def from_env(cls) -> WarehousePaths:
        return cls(Path(os.environ.get("IOC_WAREHOUSE", REPO_ROOT / "warehouse")).resolve())

    def for_province(self, province: str) -> WarehousePaths:
        return WarehousePaths(self.root, province)

    @property
    def lake(self) -> Path:
        if self.province:
            return self.root / "lake" / f"province={self.province}"
        return self.root / "lake"

    @property
    def meta(self) -> Path:
        """Ledger and quarantine: part of the lake, read by the `dq` models."""
        return self.lake / "_meta"

    @property
    def build_db(self) -> Path:
        return self.root / "build" / "ioc.duckdb"

    @property
    def work_db(self) -> Path:
        """What dbt builds and nothing serves (staging, intermediate, seeds), attached to the
        build database under its stem, ``work`` (dbt_project/profiles.yml)."""
        return self.root / "build" / "work.duckdb"

    @property
    def serving_db(self) -> Path:
        return self.root / "serving" / "ioc.duckdb"

    @property
    def data_docs(self) -> Path:
        return self.root / "dq" / "data_docs"


PROTOCOLS = ("http", "https")


@dataclass(frozen=True)
class SourceEndpoint:
    """An HTTP source: base URL and OAuth2 client credentials."""

    base_url: str
    client_id: str
    client_secret: str

    @classmethod
    def from_connection(
        cls,
        conn_id: str,
        host: str,
        login: str,
        password: str,
        schema: str = "",
        port: int | None = None,
    ) -> SourceEndpoint:
        """Build from an Airflow Connection's fields, the same inside Airflow and out.

        ``host`` is a whole base URL (``https://dvc.example.gov.vn/api``), or a bare host whose
        protocol is in ``schema`` (``http`` or ``https``, as Airflow's HTTP hook reads it);
        any other ``schema`` is a path under the host. A bare host without such a ``schema``
        is an error: the protocol is never guessed."""
        host, schema = (host or "").strip(), (schema or "").strip().strip("/")
        if not host:
            raise ValueError(f"connection {conn_id!r} has no host: {_WHAT_TO_WRITE}")
        if "://" in host:
            parts = urlsplit(host)
            netloc = parts.netloc
            if port and parts.port is None:
                netloc = f"{netloc}:{port}"
            path = parts.path.rstrip("/")
            if schema and schema.lower() not in PROTOCOLS:
                path = f"{path}/{schema}"
            return cls(f"{parts.scheme}://{netloc}{path}", login or "", password or "")
        if schema.lower() not in PROTOCOLS:
            raise ValueError(
                f"connection {conn_id!r}: host {host!r} has no protocol (http:// or https://) "
                f"and schema {schema!r} is not one: {_WHAT_TO_WRITE}"
            )
        base = f"{schema.lower()}://{host}" + (f":{port}" if port else "")
        return cls(base.rstrip("/"), login or "", password or "")

    @classmethod
    def from_env(cls, conn_id: str) -> SourceEndpoint:
        """Read ``AIRFLOW_CONN_<CONN_ID>`` (JSON or URI form) as Airflow reads it, without
        importing Airflow."""
        var = f"AIRFLOW_CONN_{conn_id.upper()}"
        raw = os.environ.get(var)
        if not raw:
            raise KeyError(f"connection {conn_id!r} is not configured: set {var}")
        fields = connection_fields(raw)
        return cls.from_connection(
            conn_id,
            fields.get("host") or "",
            fields.get("login") or "",
            fields.get("password") or "",
            fields.get("schema") or "",
            int(fields["port"]) if fields.get("port") else None,
        )


_WHAT_TO_WRITE = (
    "write the whole base URL as the host, e.g. JSON "
    '{"conn_type": "http", "host": "https://dvc.example.gov.vn/api", "login": "<client id>", '
    '"password": "<client secret>"} or URI '
    "http://<client id>:<client secret>@https%3A%2F%2Fdvc.example.gov.vn%2Fapi; "
    'or keep a bare host and set "schema" to "https" (or "http")'
)


def connection_fields(raw: str) -> dict:
    """An Airflow connection in JSON or URI form → its fields (host, schema, login, password,
    port), parsed as ``airflow.sdk.Connection.from_json``/``from_uri`` do: in a URI the path
    is the ``schema``, and a second ``<protocol>://`` or a URL-encoded host keeps the protocol
    in the host."""
    if raw.lstrip().startswith("{"):
        return json.loads(raw)
    conn_type = urlsplit(raw).scheme
    rest = raw.replace(f"{conn_type}://", "" if raw.count("://") == 2 else "//", 1)
    parts = urlsplit(rest)
    host = unquote(parts.hostname or "")
    if "/" in host:  # a URL-encoded base URL as the host: decode the netloc as written
        host = unquote(parts.netloc.rsplit("@", 1)[-1].split(":", 1)[0])
    if parts.scheme and host:
        host = f"{parts.scheme}://{host}"
    return {
        "host": host,
        "schema": unquote(parts.path[1:]),
        "login": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "port": parts.port,
    }


def get_variable(key: str, default: str | None = None) -> str:
    """Read an Airflow Variable from ``AIRFLOW_VAR_<KEY>`` outside Airflow."""
    value = os.environ.get(f"AIRFLOW_VAR_{key.upper()}", default)
    if value is None:
        raise KeyError(f"variable {key!r} is not configured: set AIRFLOW_VAR_{key.upper()}")
    return value
