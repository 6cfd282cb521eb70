"""Many provinces in one warehouse: every source of every province, one mapped task each.

Airflow DAG `ingest_provinces`: the provinces come from the Variable `ioc_provinces` (the one
setting: "01,56,79" or "all"); `extract` and `validate` are mapped over province × source
(dynamic task mapping, one task instance per source a province configured), at most
PROVINCE_CONCURRENCY of each at once so 34 provinces × 5 sources never run 170 connectors on
a small machine. A province's sources are those it configured with its own inputs
(connection `ioc_<source>_<code>`, drop folder variable `ioc_<source>_drop_dir_<code>`);
its loads land in its part of the lake
(`lake/province=<code>/` for its staging, ledger and quarantine; live in the shared Hive
tables `lake/<source>/<dataset>/province=<code>/load_id=<id>/`). One province failing its
checks (or one of its sources failing) fails its own mapped task, not the others'."""

from __future__ import annotations

import pendulum
from airflow.sdk import dag, task
from airflow.timetables.interval import CronDataIntervalTimetable

from dags.assets import LAKES
from dags.policy import DEFAULT_ARGS

TZ = "Asia/Ho_Chi_Minh"
PROVINCE_CONCURRENCY = 2  # mapped task instances of each task at once (2 cores)


@dag(
    dag_id="ingest_provinces",
    schedule=CronDataIntervalTimetable("0 2 1 * *", timezone=TZ),
    start_date=pendulum.datetime(2022, 2, 1, tz=TZ),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["ingest", "provinces"],
    params={"since": None},
    doc_md=__doc__,
)
def ingest_provinces():
    @task
    def province_sources() -> list[dict]:
        from dags.tasks import province_sources

        return province_sources()

    @task(max_active_tis_per_dag=PROVINCE_CONCURRENCY)
    def extract(province: str, source: str, data_interval_end=None, params=None) -> dict:
        from dags.tasks import extract_province

        return extract_province(province, source, data_interval_end, params.get("since"))

    @task(max_active_tis_per_dag=PROVINCE_CONCURRENCY, outlets=list(LAKES.values()))
    def validate(pulled: dict, run_id=None) -> None:
        from dags.tasks import validate_province

        validate_province(pulled, run_id)

    validate.expand(pulled=extract.expand_kwargs(province_sources()))


ingest_provinces()
