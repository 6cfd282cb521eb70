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
from dags.policy import BUILD_POOL, DEFAULT_ARGS
from ioc.sources import SOURCES

TZ = "Asia/Ho_Chi_Minh"
DAILY_VARIABLE = "ioc_daily_sources"
DAILY_CRON = "0 16 * * *"  # 16:00 local: published before the 17:00 daily update


@task(outlets=[SERVING_MARTS], pool=BUILD_POOL)
def build_and_publish() -> str:
    """dbt build, the gate, then the publish, in one task (one process start) holding the
    build pool's one slot: no other run builds meanwhile, so what it publishes is what it
    built and checked."""
    from dags.tasks import build_marts, publish_marts

    build_marts()
    return publish_marts()


@task
def write_digest(served: str) -> str | None:
    """The leaders' digest of the copy just published (HTML, and its PDF printed by headless
    Chromium): a task of its own after the publish, so that a digest that fails is tried
    again alone, never the build and the publish before it."""
    from dags.tasks import write_digest

    return write_digest(served)


@task
def prepare_build() -> bool:
    """The build file the run's build continues from: the serving copy copied back after the
    last publish moved the build file into place (refresh.publish.prepare_build; nothing to
    do when it is there). Run beside the pulls, which it does not read: the copy (seconds at
    scale 10) is off the run's path; the build waits for it."""
    from dags.tasks import prepare_build_file

    return prepare_build_file()


@task(trigger_rule="all_done")
def validate(pulled: list[list[dict]], run_id=None) -> int:
    """Validate every load the run's pulls landed at once: Great Expectations starts once and
    Data Docs are rebuilt once per run, not once per source (each start-up is 10-30 s). Runs
    when a pull failed too, so that the other sources' loads leave staging (a failed pull
    stops the run before the close and the build all the same); a load that fails its checks
    stays out and fails the task."""
    from dags.closing_tasks import validate_landed

    return validate_landed([load for landed in pulled for load in landed], run_id)


def _pipeline(period_type: str | None) -> None:
    """The tasks: pull (one mapped task per source; the daily refresh's chosen first) →
    validate → [close] → build and publish → the digest, the build file prepared beside the
    pulls; the close and the build need every pull to have succeeded."""

    @task
    def sources() -> list[str]:
        from dags.closing_tasks import daily_chosen

        return daily_chosen()

    @task(max_active_tis_per_dagrun=2)
    def pull(source: str, data_interval_end=None) -> list[dict]:
        from dags.closing_tasks import pull

        return pull(source, data_interval_end)

    @task
    def close(validated: int, logical_date=None, dag=None, run_id=None, dag_run=None) -> str:
        from dags.closing_tasks import close_period

        run_type = getattr(dag_run.run_type, "value", dag_run.run_type)
        return close_period(period_type, logical_date, dag.dag_id, run_id, run_type)

    # A close pulls every source (an unconfigured one pulls nothing): mapped at parse time,
    # no task on the run's path to say so (one process start, ~3.5 s at SF10). The daily
    # refresh's sources are a Variable, read when it runs.
    pulled = pull.expand(source=list(SOURCES) if period_type else sources())
    validated = validate(pulled)
    built = build_and_publish()
    write_digest(built)
    prepare_build() >> built
    # validate runs after a failed pull too (all_done): the build waits on the pulls themselves
    if period_type is None:
        [pulled, validated] >> built
    else:
        pulled >> close(validated) >> built


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


def history_dag(doc: str, fileloc: str) -> DAG:
    """``load_history``: the whole history in one run (asked for, never scheduled)."""

    @dag(
        dag_id="load_history",
        schedule=None,
        start_date=pendulum.datetime(2022, 1, 1, tz=TZ),
        catchup=False,
        max_active_runs=1,
        default_args=DEFAULT_ARGS,
        params={"since": "2022-01", "until": None},
        tags=["history", "close"],
        doc_md=doc,
    )
    def pipeline():
        # Every task works out the same end from the run's params and its trigger time.
        @task(max_active_tis_per_dagrun=2)
        def pull(source: str, params=None, dag_run=None) -> list[dict]:
            from dags.closing_tasks import history_end, pull

            return pull(source, history_end(params.get("until"), dag_run.run_after))

        @task
        def close_history(validated: int, params=None, dag_run=None, run_id=None) -> int:
            from dags.closing_tasks import close_history, history_end

            until = history_end(params.get("until"), dag_run.run_after)
            return close_history(params.get("since") or "2022-01", until, run_id)

        pulled = pull.expand(source=list(SOURCES))
        build = build_and_publish()
        write_digest(build)
        prepare_build() >> build
        pulled >> close_history(validate(pulled)) >> build

    built = pipeline()
    built.fileloc = fileloc
    return built
