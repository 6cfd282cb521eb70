"""The shape every Airflow ingestion DAG shares: extract (pull what is new into the raw lake),
then validate what landed with Great Expectations; the source's lake Asset is updated only
when the loads pass their blocking checks."""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG, Asset, dag, task
from airflow.timetables.interval import CronDataIntervalTimetable

TZ = "Asia/Ho_Chi_Minh"


def ingest_dag(source: str, cron: str, lake: Asset, doc: str, fileloc: str) -> DAG:
    """``ingest_<source>`` on ``cron`` (local time); ``fileloc`` is the DAG file (Airflow
    re-parses it to run a task, so it must be the file that calls this, not this module)."""

    @dag(
        dag_id=f"ingest_{source}",
        schedule=CronDataIntervalTimetable(cron, timezone=TZ),
        start_date=pendulum.datetime(2022, 2, 1, tz=TZ),
        catchup=False,
        max_active_runs=1,
        tags=["ingest", source],
        params={"since": None},
        doc_md=doc,
    )
    def pipeline():
        @task
        def extract(data_interval_end=None, params=None) -> list[dict]:
            from dags.tasks import extract as pull

            return pull(source, data_interval_end, params.get("since"))

        @task(outlets=[lake])
        def validate(loads: list[dict], run_id=None) -> None:
            from dags.tasks import validate_loads

            validate_loads(loads, run_id)

        validate(extract())

    built = pipeline()
    built.fileloc = fileloc
    return built
