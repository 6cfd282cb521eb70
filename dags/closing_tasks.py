"""What the closing and daily DAGs' tasks call (dags/closing.py); the pulling and the build
are the ingestion DAGs' and refresh_marts' own (dags/tasks.py)."""

from __future__ import annotations

import logging

from airflow.sdk import Variable

from ioc.sources import SOURCES

log = logging.getLogger(__name__)


def daily_sources(raw: str | None) -> list[str]:
    """The Variable ``ioc_daily_sources`` (comma- or space-separated source names) read
    liberally; an unknown name is an error naming it."""
    names = [n.strip().lower() for n in (raw or "").replace(",", " ").split()]
    unknown = sorted(set(names) - set(SOURCES))
    if unknown:
        raise ValueError(f"ioc_daily_sources: unknown source(s) {unknown}; known: {list(SOURCES)}")
    return [n for n in SOURCES if n in names]


def scheduled_sources(daily: bool) -> list[str]:
    """The sources a run pulls: every source for a close (an unconfigured one pulls nothing),
    those the province chose for the daily refresh."""
    if not daily:
        return list(SOURCES)
    from dags.closing import DAILY_VARIABLE

    chosen = daily_sources(Variable.get(DAILY_VARIABLE, default=None))
    if not chosen:
        log.warning("%s is not set: the daily refresh pulls and publishes nothing", DAILY_VARIABLE)
    return chosen


def pull_and_validate(source: str, data_interval_end, run_id: str) -> int:
    """Pull ``source`` up to the run's time and validate what landed (dags/tasks.py, as the
    ingestion DAG does); returns the number of loads, 0 when the source is not configured.
    A failing validation raises: the run stops before the build."""
    from dags.tasks import extract, is_configured, validate_loads

    if not is_configured(source):
        return 0
    loads = extract(source, data_interval_end, None)
    validate_loads(loads, run_id)
    return len(loads)


def close_period(period_type: str, logical_date, dag_id: str, run_id: str, run_type: str) -> str:
    """Record the close of the period the run's time closes (ioc/calendar.py), with when it
    really ran: a close after its deadline is a deadline miss (marts.fct_period_state)."""
    import pendulum

    from dags.tasks import _local
    from ingest.common.settings import WarehousePaths
    from ioc.calendar import closed_by
    from ioc.run_records import record_close

    moment = _local(logical_date)
    period = closed_by(period_type, moment)
    ran_at = _local(pendulum.now("UTC"))
    path = record_close(
        WarehousePaths.from_env(), period, moment, dag_id, run_id, ran_at, str(run_type)
    )
    log.info("closed %s %s (due %s): %s", period_type, period.label, period.due, path)
    return period.label
