"""The shape of the scheduled refreshes: a period-closing DAG per period type of the
reporting calendar (ioc/calendar.py), and the daily refresh a province may choose.

A closing run pulls every configured source up to its own time (the day after the
period's due date), validates what landed, records the period's close in the lake's
``_meta``, then builds and publishes the marts, where ``marts.fct_period_state`` says
whether the period is complete or partial and what is missing. Re-running a close is
idempotent: loads are replaced, the close record is replaced, the build is deterministic.
A source that fails (after its retries) stops the run before the build: the serving copy
stays the last good one. The daily refresh does the same for the sources listed in the
Variable ``ioc_daily_sources`` (none: it pulls nothing and publishes nothing).
"""

from __future__ import annotations

import pendulum
from airflow.sdk import DAG, dag, task
from airflow.timetables.trigger import CronTriggerTimetable

from dags.assets import SERVING_MARTS
from dags.policy import DEFAULT_ARGS
from ioc.sources import SOURCES

TZ = "Asia/Ho_Chi_Minh"
DAILY_VARIABLE = "ioc_daily_sources"
DAILY_CRON = "0 16 * * *"  # 16:00 local: published before the 17:00 daily update


def _pipeline(period_type: str | None) -> None:
    """The tasks: pull (one mapped task per source) → [close] → build → publish."""

    @task
    def sources() -> list[str]:
        from dags.closing_tasks import scheduled_sources

        return scheduled_sources(period_type is None)

    @task(max_active_tis_per_dagrun=2)
    def pull(source: str, data_interval_end=None, run_id=None) -> int:
        from dags.closing_tasks import pull_and_validate

        return pull_and_validate(source, data_interval_end, run_id)

    @task
    def close(pulled: list[int], logical_date=None, dag=None, run_id=None, dag_run=None) -> str:
        from dags.closing_tasks import close_period

        run_type = getattr(dag_run.run_type, "value", dag_run.run_type)
        return close_period(period_type, logical_date, dag.dag_id, run_id, run_type)

    # One build and one publish at a time across this DAG's runs (a backfill's runs and a
    # scheduled one have separate max_active_runs): they share the one build database.
    @task(max_active_tis_per_dag=1)
    def dbt_build() -> dict:
        from dags.tasks import build_marts

        return build_marts()

    @task(outlets=[SERVING_MARTS], max_active_tis_per_dag=1)
    def publish(build: dict) -> str:
        from dags.tasks import publish_marts

        return publish_marts()

    pulled = pull.expand(source=sources())
    if period_type is None:
        publish(dbt_build()).set_upstream(pulled)
    else:
        built = dbt_build()
        close(pulled) >> built
        publish(built)


def closing_dag(period_type: str, doc: str, fileloc: str) -> DAG:
    """``close_<period_type>``, on the calendar's close times (local time)."""
    from ioc.calendar import close_cron

    @dag(
        dag_id=f"close_{period_type}",
        schedule=CronTriggerTimetable(close_cron(period_type), timezone=TZ),
        start_date=pendulum.datetime(2022, 1, 1, tz=TZ),
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        tags=["close", period_type],
        doc_md=doc,
    )
    def pipeline():
        _pipeline(period_type)

    built = pipeline()
    built.fileloc = fileloc
    return built


def daily_dag(doc: str, fileloc: str) -> DAG:
    @dag(
        dag_id="refresh_daily",
        schedule=CronTriggerTimetable(DAILY_CRON, timezone=TZ),
        start_date=pendulum.datetime(2022, 1, 1, tz=TZ),
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        tags=["daily", *sorted(SOURCES)],
        doc_md=doc,
    )
    def pipeline():
        _pipeline(None)

    built = pipeline()
    built.fileloc = fileloc
    return built
