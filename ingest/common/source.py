"""What a source declares about itself (``ingest/<source>/source.toml``): its title and its
DAG's spec; its package ``ingest.<source>`` holds its connector, its datasets' contracts and
suites. The registry of sources, ``ioc/sources.py``, lists these declarations. They are data,
read without importing the connector, so that parsing a DAG imports nothing heavy."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

INGEST = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Source:
    name: str
    title: str  # what users read (Vietnamese)
    package: str  # its package: connector, contracts (``contracts``), suites (``suite_*``)
    cron: str  # the ingestion DAG's schedule, local time
    conn_id: str | None = None  # HTTP API: base URL and OAuth2 client credentials
    drop_variable: str | None = None  # Variable holding the drop folder's path
    needs_pseudonymisation_key: bool = False

    @property
    def dag_id(self) -> str:
        return f"ingest_{self.name}"

    @property
    def asset_uri(self) -> str:
        return f"ioc://lake/{self.name}"

    @property
    def inputs(self) -> list[str]:
        """Its settings as an operator writes them (environment form)."""
        out = []
        if self.conn_id:
            out.append(env_name("conn", self.conn_id))
        if self.drop_variable:
            out.append(env_name("var", self.drop_variable))
        return out

    def suite_module(self, dataset: str) -> str:
        """The module holding the suite of one of its raw datasets."""
        return f"{self.package}.suite_{dataset}"


def env_name(kind: str, key: str) -> str:
    """``AIRFLOW_CONN_<KEY>`` or ``AIRFLOW_VAR_<KEY>``: Airflow's own environment form."""
    return f"AIRFLOW_{'CONN' if kind == 'conn' else 'VAR'}_{key.upper()}"


def declared(name: str) -> Source:
    """The source ``name`` as ``ingest/<name>/source.toml`` declares it."""
    with (INGEST / name / "source.toml").open("rb") as f:
        return Source(name=name, package=f"ingest.{name}", **tomllib.load(f))
