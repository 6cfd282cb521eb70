"""Build every mart with dbt in a private database, and publish it if the tests pass (one
task, in the build pool: dags/closing.py), then write the leaders' digest of it (a task of
its own). Retries and the failure record: dags/policy.py."""

from __future__ import annotations

import pendulum
from airflow.sdk import dag

from dags.assets import ANY_LAKE
from dags.closing import build_and_publish, write_digest
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
    write_digest(build_and_publish())


refresh_marts()
