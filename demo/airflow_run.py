"""Run one refresh period through Airflow's own DAGs, in one process.

Every ingestion DAG runs with ``dag.test()`` for the month, then ``refresh_marts`` builds
and publishes. Airflow, dbt and Great Expectations are imported once for the whole run.
"""

from __future__ import annotations

import argparse
import subprocess
from datetime import date

import pendulum

from ingest.common.settings import REPO_ROOT

INGEST_DAGS = [f"ingest_{s}" for s in ("reporting", "dichvucong", "ngansach", "dulich", "giaoduc")]
REFRESH_DAG = "refresh_marts"
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


def run_period(period: date, since: str | None = None) -> dict[str, str]:
    """Refresh the month ``period`` (its first day); returns each DAG run's state."""
    from airflow.dag_processing.dagbag import DagBag

    logical = pendulum.datetime(period.year, period.month, 1, tz=TZ).add(months=1)
    bag = DagBag(dag_folder=str(REPO_ROOT / "dags"))
    if bag.import_errors:
        raise RefreshFailed(f"DAG import errors: {bag.import_errors}")
    states = {}
    for dag_id in [*INGEST_DAGS, REFRESH_DAG]:
        conf = {"since": since} if since and dag_id in INGEST_DAGS else None
        run = bag.dags[dag_id].test(logical_date=logical, run_conf=conf)
        states[dag_id] = str(run.state)
        if run.state != "success":
            raise RefreshFailed(f"{dag_id} ended {run.state} for {period:%Y-%m}; see its log")
    return states


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
