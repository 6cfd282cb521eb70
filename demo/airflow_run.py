"""Run one refresh period through Airflow's own DAGs, in one process.

The ingestion DAG of each source asked for (default: all five) runs with ``dag.test()`` for
the month, then ``refresh_marts`` builds and publishes. Whether a source is configured is
Airflow's own answer: an unconfigured source's run stops at its ``configured`` task and is
reported ``not configured`` (nothing pulled, no Asset event). Airflow, dbt and Great
Expectations are imported once for the whole run.
"""

from __future__ import annotations

import argparse
import subprocess
import time
from collections.abc import Callable, Iterable
from datetime import date

import pendulum

from ingest.common.settings import REPO_ROOT
from ioc.sources import SOURCES

INGEST_DAGS = [s.dag_id for s in SOURCES.values()]
REFRESH_DAG = "refresh_marts"
NOT_CONFIGURED = "not configured"
TZ = "Asia/Ho_Chi_Minh"


class RefreshFailed(RuntimeError):
    pass


def migrate_metadata_db() -> None:
    """Create or upgrade Airflow's metadata database (idempotent).

    ``airflow db migrate`` is a process of its own that imports Airflow again: 6-8 s on every
    refresh. When the database is already at this Airflow's migration heads (every run
    after the first) it is skipped; the check takes ~2 s in this process, mostly imports
    the run makes anyway (benchmarks/README.md)."""
    if _metadata_db_current():
        return
    airflow = REPO_ROOT / ".venv" / "bin" / "airflow"
    cmd = [str(airflow) if airflow.exists() else "airflow", "db", "migrate"]
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)


def _metadata_db_current() -> bool:
    """Whether the metadata database holds every migration of the installed Airflow (the
    check ``airflow db check-migrations`` makes), without waiting or migrating."""
    try:
        from airflow.utils.db import check_migrations

        check_migrations(timeout=0)  # one look; raises TimeoutError when behind
    except Exception:  # a new, empty or unreadable database: let `airflow db migrate` decide
        return False
    return True


def run_period(
    period: date,
    since: str | None = None,
    sources: Iterable[str] | None = None,
    progress: Callable[[str], None] = lambda line: None,
) -> dict[str, str]:
    """Refresh the month ``period`` (its first day) from ``sources`` (default: every one);
    returns each DAG run's state (``not configured`` for a source that is not)."""
    from airflow.dag_processing.dagbag import DagBag

    logical = pendulum.datetime(period.year, period.month, 1, tz=TZ).add(months=1)
    bag = DagBag(dag_folder=str(REPO_ROOT / "dags"))
    if bag.import_errors:
        raise RefreshFailed(f"DAG import errors: {bag.import_errors}")
    wanted = list(SOURCES) if sources is None else list(sources)
    states = {}
    for dag_id in [*(SOURCES[s].dag_id for s in wanted), REFRESH_DAG]:
        conf = {"since": since} if since and dag_id in INGEST_DAGS else None
        started = time.monotonic()
        progress(f"{dag_id}: running")
        _without_retries(bag.dags[dag_id])
        run = bag.dags[dag_id].test(logical_date=logical, run_conf=conf)
        state = str(run.state)
        if run.state != "success":
            raise RefreshFailed(f"{dag_id} ended {state} for {period:%Y-%m}; see its log")
        if dag_id != REFRESH_DAG and _task_state(run, "extract") == "skipped":
            state = NOT_CONFIGURED
        states[dag_id] = state
        progress(f"{dag_id}: {state} in {time.monotonic() - started:.0f} s")
    return states


def _without_retries(dag) -> None:
    """One run in this process reports a failure at once: the retries with backoff of
    dags/policy.py are the scheduler's (``dag.test()`` would wait minutes between tries)."""
    for task in dag.tasks:
        task.retries = 0


def _task_state(run, task_id: str) -> str | None:
    """The state of one task of a finished run (from the metadata database)."""
    ti = run.get_task_instance(task_id)
    return None if ti is None else str(ti.state)


def main() -> None:
    parser = argparse.ArgumentParser(description="Refresh one month through Airflow.")
    parser.add_argument("period", help="YYYY-MM")
    parser.add_argument("--since", help="re-pull sources from this local time (ISO 8601)")
    args = parser.parse_args()
    year, month = map(int, args.period.split("-"))
    migrate_metadata_db()
    print(run_period(date(year, month, 1), args.since))


if __name__ == "__main__":
    main()
