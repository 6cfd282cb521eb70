"""The shape every Airflow ingestion DAG shares: first whether the source is configured (an
unconfigured source's run stops there: its other tasks are skipped, nothing is pulled and no
Asset event is sent), then extract (pull what is new into the raw lake), then validate what
landed with Great Expectations; the source's lake Asset is updated only when the loads pass
their blocking checks. Every task follows dags/policy.py: retried with backoff, a task that
fails for good recorded for the stewards."""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG, dag, task
from airflow.timetables.interval import CronDataIntervalTimetable

from dags.assets import LAKES
from dags.policy import DEFAULT_ARGS
from ioc.sources import Source

TZ = "Asia/Ho_Chi_Minh"


def ingest_dag(source: Source, doc: str, fileloc: str) -> DAG:
    """``ingest_<source>`` on its cron (local time); ``fileloc`` is the DAG file (Airflow
    re-parses it to run a task, so it must be the file that calls this, not this module)."""
    name = source.name

    @dag(
        dag_id=source.dag_id,
        schedule=CronDataIntervalTimetable(source.cron, timezone=TZ),
        start_date=pendulum.datetime(2022, 2, 1, tz=TZ),
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        tags=["ingest", name],
        params={"since": None},
        doc_md=doc,
    )
    def pipeline():
        @task.short_circuit(ignore_downstream_trigger_rules=True)
        def configured() -> bool:
            from dags.tasks import is_configured

            return is_configured(name)

        @task
        def extract(data_interval_end=None, params=None) -> list[dict]:
            from dags.tasks import extract as pull

            return pull(name, data_interval_end, params.get("since"))

        @task(outlets=[LAKES[name]])
        def validate(loads: list[dict], run_id=None) -> None:
            from dags.tasks import validate_loads

            validate_loads(loads, run_id)

        pulled = extract()
        configured() >> pulled
        validate(pulled)

    built = pipeline()
    built.fileloc = fileloc
    return built
