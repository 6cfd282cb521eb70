"""The registry of sources: it lists the five upstream sources' packages (``ingest/<source>/``,
each declaring itself in its ``source.toml``: what it needs to be configured, its DAG, its lake
Asset; its package also holds its connector, its datasets' contracts and suites). dags/,
demo/, expectations/, the ``ioc`` command and the dq models (through dbt vars) all read it.

A source is *configured* when at least one of its inputs is set: an Airflow Connection
(``conn_id``) or an Airflow Variable naming a drop folder (``drop_variable``). The reporting
system has both; either alone runs its part. An unconfigured source's DAG does not pull,
and the marts build and publish without it.

Each source with a drop folder needs a folder of its own: two sources reading one folder
would each quarantine the other's files as misnamed; ``drop_folder`` refuses that, naming
both settings, and ``ioc check`` reports it.

Where the settings are read: inside an Airflow task from Airflow's Connections and Variables
(``AirflowSettings``: its metadata database, secrets backends and ``AIRFLOW_CONN_*`` /
``AIRFLOW_VAR_*``), outside from ``AIRFLOW_CONN_*`` / ``AIRFLOW_VAR_*`` (``EnvSettings``).
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Protocol

from ingest.common.source import Source, declared, env_name

PSEUDONYMISATION_KEY = "ioc_pseudonymisation_key"
PROVINCE_VARIABLE = "ioc_province"
# Many provinces in one warehouse: the GSO codes ("01,56,79") or "all" (the 34 provinces of
# 2025-07-01); unset = one province. Each province's inputs are its own, suffixed with its
# code: connection ioc_dichvucong_01, drop folder variable ioc_ngansach_drop_dir_01.
PROVINCES_VARIABLE = "ioc_provinces"


# The source packages under ingest/, in the order the operator's command lists them.
SOURCES: dict[str, Source] = {
    name: declared(name) for name in ("reporting", "dichvucong", "ngansach", "dulich", "giaoduc")
}


class Settings(Protocol):
    def has_connection(self, conn_id: str) -> bool: ...

    def variable(self, key: str) -> str | None: ...


@dataclass(frozen=True)
class EnvSettings:
    """Settings from ``AIRFLOW_CONN_*`` and ``AIRFLOW_VAR_*`` (read, not parsed: the
    connectors parse a connection with ``SourceEndpoint``)."""

    env: Mapping[str, str]

    @classmethod
    def current(cls) -> EnvSettings:
        return cls(dict(os.environ))

    def has_connection(self, conn_id: str) -> bool:
        return bool((self.env.get(env_name("conn", conn_id)) or "").strip())

    def variable(self, key: str) -> str | None:
        return (self.env.get(env_name("var", key)) or "").strip() or None


class AirflowSettings:
    """Settings as an Airflow task sees them (Connections and Variables of its Airflow)."""

    def has_connection(self, conn_id: str) -> bool:
        from airflow.sdk import Connection

        try:
            Connection.get(conn_id)
        except Exception:  # the SDK's not-found error
            return False
        return True

    def variable(self, key: str) -> str | None:
        from airflow.sdk import Variable

        return (Variable.get(key, default=None) or "").strip() or None


@dataclass(frozen=True)
class Configured:
    """What of a source is set: its connection, its drop folder."""

    source: Source
    has_connection: bool
    drop_dir: str | None

    @property
    def is_configured(self) -> bool:
        return self.has_connection or self.drop_dir is not None

    def reason(self) -> str:
        """Why it does not run (for logs and ``check``)."""
        wanted = " or ".join(self.source.inputs)
        return f"source {self.source.name} is not configured: set {wanted}"


def configuration(source: Source, settings: Settings) -> Configured:
    conn = bool(source.conn_id) and settings.has_connection(source.conn_id)
    drop = settings.variable(source.drop_variable) if source.drop_variable else None
    return Configured(source, conn, drop)


def configured_sources(settings: Settings) -> list[str]:
    """The names of the configured sources, in registry order."""
    return [n for n, s in SOURCES.items() if configuration(s, settings).is_configured]


def dbt_vars(settings: Settings) -> dict:
    """The registry as dbt reads it (``dq.dq_source_status``, ``dq.dq_check_result``): every
    source, its title, whether it is configured and which of its inputs are set; in a
    many-province warehouse every province × source, as the province configured it
    (``for_province``)."""
    return {
        "ioc_sources": [
            {
                "source": c.source.name,
                "title": c.source.title,
                "configured": c.is_configured,
                "province": p,
                # what is set (seeds/dq_load_schedule.csv names each dataset's input)
                "inputs": [
                    i
                    for i, on in (("connection", c.has_connection), ("drop_folder", c.drop_dir))
                    if on
                ],
            }
            for p in provinces(settings) or [None]
            for c in (
                configuration(for_province(s, p) if p else s, settings) for s in SOURCES.values()
            )
        ]
    }


class SharedDropFolder(ValueError):
    """Two sources' drop variables name one folder."""


def _drop_folders(settings: Settings) -> dict[str, Path]:
    """Each source's drop folder as set, resolved (symbolic links followed)."""
    out = {}
    for name, source in SOURCES.items():
        value = settings.variable(source.drop_variable) if source.drop_variable else None
        if value:
            out[name] = Path(value).expanduser().resolve()
    return out


def _shared(folder: Path, names: list[str]) -> str:
    both = " and ".join(f"{n} ({env_name('var', SOURCES[n].drop_variable or '')})" for n in names)
    return (
        f"drop folder {folder} is set for {both}: give each source a folder of its own "
        "(each would quarantine the other's files as misnamed)"
    )


def shared_drop_folders(settings: Settings) -> list[str]:
    """A message for each folder more than one source's drop variable names."""
    by_folder: dict[Path, list[str]] = {}
    for name, folder in _drop_folders(settings).items():
        by_folder.setdefault(folder, []).append(name)
    return [_shared(f, names) for f, names in by_folder.items() if len(names) > 1]


def drop_folder(source: Source, settings: Settings) -> Path | None:
    """The source's drop folder as set (None: it has none); ``SharedDropFolder`` when another
    source's drop variable names the same folder. ``source`` may be one province's
    (``for_province``): its own variable is read."""
    value = settings.variable(source.drop_variable) if source.drop_variable else None
    if not value:
        return None
    mine = Path(value).expanduser().resolve()
    others = [n for n, f in _drop_folders(settings).items() if f == mine and n != source.name]
    if others:
        raise SharedDropFolder(_shared(mine, [source.name, *others]))
    return Path(value)


def provinces(settings: Settings) -> list[str]:
    """The provinces of a many-province warehouse (``ioc_provinces``); [] for one province.
    A code that is not a province after 2025-07-01 is an error naming it."""
    from expectations.reference import province_codes

    text = settings.variable(PROVINCES_VARIABLE) or ""
    known = province_codes()
    if text.lower() == "all":
        return known
    codes = sorted({c.strip().zfill(2) for c in text.split(",") if c.strip()})
    unknown = [c for c in codes if c not in known]
    if unknown:
        raise ValueError(f"{PROVINCES_VARIABLE}: not a province after 2025-07-01: {unknown}")
    return codes


def for_province(source: Source, province: str) -> Source:
    """``source`` as one province of many configures it: its inputs suffixed with the code."""
    return replace(
        source,
        conn_id=f"{source.conn_id}_{province}" if source.conn_id else None,
        drop_variable=f"{source.drop_variable}_{province}" if source.drop_variable else None,
    )
