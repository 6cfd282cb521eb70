"""Build every mart with dbt in a private database, and publish it if the tests pass.
Retries and the failure record: dags/policy.py."""

from __future__ import annotations

import pendulum
from airflow.sdk import dag, task

from dags.assets import ANY_LAKE, SERVING_MARTS
from dags.policy import DEFAULT_ARGS

TZ = "Asia/Ho_Chi_Minh"


@dag(
    schedule=ANY_LAKE,
    start_date=pendulum.datetime(2022, 2, 1, tz=TZ),
    catchup=False,
    max_active_runs=1,
    default_args=DEFAULT_ARGS,
    tags=["dbt", "publish"],
    doc_md=__doc__,
)
def refresh_marts():
    @task
    def dbt_build() -> dict:
        from dags.tasks import build_marts

        return build_marts()

    @task(outlets=[SERVING_MARTS])
    def publish(build: dict) -> str:
        from dags.tasks import publish_marts

        return publish_marts()

    publish(dbt_build())


refresh_marts()
