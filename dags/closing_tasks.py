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


def daily_chosen() -> list[str]:
    """The sources the province chose for the daily refresh (a close pulls every source)."""
    from dags.closing import DAILY_VARIABLE

    chosen = daily_sources(Variable.get(DAILY_VARIABLE, default=None))
    if not chosen:
        log.warning("%s is not set: the daily refresh pulls and publishes nothing", DAILY_VARIABLE)
    return chosen


def pull(source: str, until) -> list[dict]:
    """Pull ``source`` up to ``until`` (dags/tasks.py, as the ingestion DAG does) into the
    lake's staging; the loads it landed, none when the source is not configured. The run's
    ``validate`` task checks them and promotes what passes."""
    from dags.tasks import extract, is_configured

    if not is_configured(source):
        return []
    return extract(source, until, None)


def validate_landed(loads: list[dict], run_id: str) -> int:
    """Validate and promote the run's loads (dags/tasks.py); raises when one did not pass,
    on a retry too (its loads rejected by the first try are no longer waiting to be
    checked, and must not let the run go on to the build). Returns how many loads."""
    from dags.tasks import validate_loads
    from ingest.common import lifecycle
    from ingest.common.settings import WarehousePaths

    validate_loads(loads, run_id)
    meta = WarehousePaths.from_env().meta
    rejected = [load for load in loads if lifecycle.status(meta, load) == "rejected"]
    if rejected:
        named = "; ".join(f"{r['source']}.{r['dataset']} {r['load_id']}" for r in rejected)
        raise RuntimeError(f"loads rejected by their checks (lake/_meta/rejected/): {named}")
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


def history_end(until: str | None, triggered):
    """When the history run's pulls stop: the close of the month ``until`` (``YYYY-MM``), by
    default of the last month closed when the run was ``triggered``; time-zone aware."""
    import pendulum

    from ioc.calendar import TZ, closed_by, period_ending

    if until:
        year, month = (int(part) for part in until.split("-"))
        period = period_ending("month", year, month)
    else:
        period = closed_by("month", pendulum.instance(triggered).in_timezone(TZ).naive())
    return pendulum.instance(period.closes_at, tz=TZ)


def close_history(since: str, until, run_id: str) -> int:
    """Record the close of every period of every type that ends from the month ``since`` on
    and has closed by ``until``, as a backfill of its closing DAG records it (its close
    time, ``backfill``); a period closed before keeps its first close. Returns how many."""
    from datetime import date

    import pendulum

    from dags.tasks import _local
    from ingest.common.settings import WarehousePaths
    from ioc.backfill import closes_between
    from ioc.calendar import PERIOD_ENDS
    from ioc.run_records import record_close

    paths = WarehousePaths.from_env()
    end = _local(until)
    ran_at = _local(pendulum.now("UTC"))
    year, month = (int(part) for part in since.split("-"))
    count = 0
    for period_type in PERIOD_ENDS:
        try:
            closed = closes_between(period_type, date(year, month, 1), None, end)
        except ValueError:  # none of this type closed yet
            continue
        for period in closed:  # named as its closing DAG names it: a re-close replaces it
            record_close(
                paths, period, period.closes_at, f"close_{period_type}", run_id, ran_at, "backfill"
            )
        count += len(closed)
        log.info("history: %d %s closes recorded", len(closed), period_type)
    return count
