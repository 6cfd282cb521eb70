"""Monthly ingestion of the public-services portal: pull, then validate what landed."""

from __future__ import annotations

import pendulum
from airflow.sdk import dag, task
from airflow.timetables.interval import CronDataIntervalTimetable

from dags.assets import LAKE_DICHVUCONG

TZ = "Asia/Ho_Chi_Minh"


@dag(
    schedule=CronDataIntervalTimetable("0 0 1 * *", timezone=TZ),
    start_date=pendulum.datetime(2022, 2, 1, tz=TZ),
    catchup=False,
    max_active_runs=1,
    tags=["ingest", "dichvucong"],
    params={"since": None},
    doc_md=__doc__,
)
def ingest_dichvucong():
    @task
    def extract(data_interval_end=None, params=None) -> list[dict]:
        from dags.tasks import extract_dichvucong

        return extract_dichvucong(data_interval_end, params.get("since"))

    @task(outlets=[LAKE_DICHVUCONG])
    def validate(loads: list[dict], run_id=None) -> None:
        from dags.tasks import validate_loads

        validate_loads(loads, run_id)

    validate(extract())


ingest_dichvucong()
