"""What the DAGs' tasks call: configuration from Airflow, the work from ingest/ and refresh/.

Kept out of the DAG files so that parsing a DAG imports nothing heavy and fetches no
connection.
"""

from __future__ import annotations

import logging
from datetime import datetime
from pathlib import Path

from airflow.sdk import Connection, Variable

from ingest.common.settings import SourceEndpoint, WarehousePaths
from ingest.common.source import Source
from ioc.sources import SOURCES, AirflowSettings, drop_folder

log = logging.getLogger(__name__)


def _endpoint(conn_id: str) -> SourceEndpoint:
    c = Connection.get(conn_id)
    return SourceEndpoint.from_connection(
        conn_id, c.host or "", c.login or "", c.password or "", c.schema or "", c.port
    )


def is_configured(source: str) -> bool:
    """Whether ``source`` has its connection or drop folder in this Airflow; when not, one
    clear log line and False (the run's pulling tasks are then skipped)."""
    from ioc.sources import SOURCES, AirflowSettings, configuration

    state = configuration(SOURCES[source], AirflowSettings())
    if not state.is_configured:
        log.warning("%s; this run pulls nothing and updates no lake", state.reason())
    return state.is_configured


def _local(moment) -> datetime:
    """An Airflow (tz-aware) time as the lake's naive Asia/Ho_Chi_Minh wall time."""
    return moment.in_timezone("Asia/Ho_Chi_Minh").naive()


def extract(source: str, data_interval_end, since: str | None) -> list[dict]:
    """Pull what is new from ``source`` up to the end of the run's data interval."""
    paths = WarehousePaths.from_env()
    until = _local(data_interval_end)
    start = datetime.fromisoformat(since) if since else None
    results = PULLS[source](paths, until, start, SOURCES[source])
    return [r.to_dict() for r in results]


def province_sources() -> list[dict]:
    """Every (province, source) of a many-province warehouse (Variable ``ioc_provinces``)
    that the province configured with its own inputs (``ioc.sources.for_province``): one
    mapped pull each. What a province left unconfigured is one log line, no task."""
    from ioc.sources import AirflowSettings, configuration, for_province, provinces

    settings = AirflowSettings()
    found = provinces(settings)
    log.info("%d provinces: %s", len(found), ", ".join(found) or "none (ioc_provinces unset)")
    pairs = []
    for province in found:
        for name, declared in SOURCES.items():
            state = configuration(for_province(declared, province), settings)
            if state.is_configured:
                pairs.append({"province": province, "source": name})
            else:
                log.info("province %s: %s", province, state.reason())
    return pairs


def extract_province(province: str, source: str, data_interval_end, since: str | None) -> dict:
    """Pull what is new from ``province``'s ``source`` (its own connection and drop folder)
    into its part of the shared lake."""
    from ioc.sources import for_province

    paths = WarehousePaths.from_env().for_province(province)
    until = _local(data_interval_end)
    start = datetime.fromisoformat(since) if since else None
    pulled = PULLS[source](paths, until, start, for_province(SOURCES[source], province))
    return {"province": province, "source": source, "loads": [r.to_dict() for r in pulled]}


def _has_connection(conn_id: str) -> bool:
    return AirflowSettings().has_connection(conn_id)


def _pull_dichvucong(
    paths: WarehousePaths, until: datetime, since: datetime | None, source: Source
) -> list:
    from ingest import dichvucong
    from ingest.common.http import SourceClient
    from ingest.common.pseudonymise import Pseudonymiser

    pseudonymiser = Pseudonymiser.from_secret(Variable.get("ioc_pseudonymisation_key"))
    with SourceClient(_endpoint(source.conn_id)) as client:
        return dichvucong.run(client, paths, pseudonymiser, until, since)


def _pull_reporting(
    paths: WarehousePaths, until: datetime, since: datetime | None, source: Source
) -> list:
    from ingest import reporting
    from ingest.common.http import SourceClient

    # Either part alone is a configured reporting system: the API, or units' Excel files.
    drops = drop_folder(source, AirflowSettings())
    if not _has_connection(source.conn_id):
        log.warning("reporting: no connection %s, only the Excel drops", source.conn_id)
        return reporting.run(None, drops, paths, until, since)
    with SourceClient(_endpoint(source.conn_id)) as client:
        return reporting.run(client, drops, paths, until, since)


def _pull_ngansach(
    paths: WarehousePaths, until: datetime, since: datetime | None, source: Source
) -> list:
    from ingest import ngansach

    drops = drop_folder(source, AirflowSettings())
    if drops is None:
        raise KeyError(f"variable {source.drop_variable!r} is not set")
    return ngansach.run(drops, paths, until, since)


def _pull_api(source: str):
    """A source with an API and nothing else: its package's ``run(client, paths, until,
    since)`` on its connection (the registry's ``conn_id``)."""

    def pull(
        paths: WarehousePaths, until: datetime, since: datetime | None, declared: Source
    ) -> list:
        import importlib

        from ingest.common.http import SourceClient

        connector = importlib.import_module(declared.package)
        with SourceClient(_endpoint(declared.conn_id)) as client:
            return connector.run(client, paths, until, since)

    return pull


# Each source of the registry: by ``_pull_api`` unless pulled otherwise.
PULLS = {
    **{name: _pull_api(name) for name in SOURCES},
    "reporting": _pull_reporting,
    "dichvucong": _pull_dichvucong,
    "ngansach": _pull_ngansach,
}


def validate_loads(loads: list[dict], run_id: str) -> None:
    """Validate what landed and promote what passed into the live lake. A load that
    quarantined too much or fails a blocking check stays out, and the task fails (no
    publish); so does a validation that breaks off (nothing unchecked goes live)."""
    from expectations.checkpoint import check_loads, headline
    from expectations.quarantine_share import VARIABLE, Limits

    province = Variable.get("ioc_province", default="56")
    limits = Limits.parse(Variable.get(VARIABLE, default=None))
    failures = check_loads(loads, WarehousePaths.from_env(), run_id, province, limits)
    if failures:
        log.error("%s", headline(failures))
        raise RuntimeError("\n".join([headline(failures), *failures]))


def validate_province(pulled: dict, run_id: str) -> None:
    """``validate_loads`` for one province's pull of one source: its suites (its codes), its
    part of the lake."""
    from expectations.checkpoint import check_loads, headline
    from expectations.quarantine_share import VARIABLE, Limits

    province = pulled["province"]
    paths = WarehousePaths.from_env().for_province(province)
    limits = Limits.parse(Variable.get(VARIABLE, default=None))
    failures = check_loads(pulled["loads"], paths, run_id, province, limits)
    if failures:
        log.error("province %s: %s", province, headline(failures))
        raise RuntimeError(f"province {province}: {headline(failures)}\n" + "\n".join(failures))


def prepare_build_file() -> bool:
    """The build file for the next build (refresh.publish.prepare_build): whether the
    serving copy was copied back."""
    from refresh.publish import prepare_build

    copied = prepare_build(WarehousePaths.from_env())
    log.info("build file %s", "copied from the serving copy" if copied else "kept as it was")
    return copied


def build_marts() -> dict:
    """dbt build, its results recorded in the lake, the gate, then the dq check results
    rebuilt, on one parse of the project (refresh.dq_results.build_and_record)."""
    from ioc.sources import AirflowSettings, dbt_vars
    from refresh.dq_results import build_and_record

    outcome = build_and_record(WarehousePaths.from_env(), dbt_vars(AirflowSettings()))
    for node in outcome.warnings:
        log.warning("dbt warning (published, flagged): %s %s", node.unique_id, node.message)
    return {
        "nodes": len(outcome.nodes),
        "warnings": len(outcome.warnings),
        "seconds": outcome.seconds,
    }


def publish_marts() -> str:
    from refresh.publish import publish

    return str(publish(WarehousePaths.from_env()))


def write_digest(served: str) -> str | None:
    """The leaders' digest of the serving copy ``served`` (digest.render.write): its folder,
    None when the copy has no monthly figures."""
    from digest.render import write

    folder = write(WarehousePaths.from_env().root, Path(served))
    if folder is not None:
        log.info("leaders' digest written to %s", folder)
    return None if folder is None else str(folder)
