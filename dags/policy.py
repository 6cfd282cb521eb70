"""How every scheduled task behaves on failure: retried with exponential backoff, and,
failed for good, recorded in the lake's ``_meta/failed_runs`` (read into ``dq.dq_failed_run``
by the next build, where the stewards see it). Imports nothing heavy at parse."""

from __future__ import annotations

from datetime import timedelta


def record_failed_task(context) -> None:
    """on_failure_callback: one record per failed task instance (a re-failure replaces it).
    Never raises: a callback that fails must not hide the task's own error."""
    import logging

    try:
        from ingest.common.settings import WarehousePaths
        from ioc.run_records import record_failure

        ti = context["ti"]
        logical = context.get("logical_date")
        now = _local_now()
        record_failure(
            WarehousePaths.from_env(),
            dag_id=ti.dag_id,
            run_id=ti.run_id,
            task_id=ti.task_id,
            map_index=_int(getattr(ti, "map_index", None), -1),
            try_number=_int(getattr(ti, "try_number", None), 0),
            logical_date=_local(logical) if logical else None,
            failed_at=now,
            error=f"{type(context.get('exception')).__name__}: {context.get('exception')}",
        )
    except Exception:
        logging.getLogger(__name__).exception("could not record the failed task")


def _int(value, default: int) -> int:
    return default if value is None else int(value)


def _local(moment):
    import pendulum

    return pendulum.instance(moment).in_timezone("Asia/Ho_Chi_Minh").naive()


def _local_now():
    import pendulum

    return pendulum.now("Asia/Ho_Chi_Minh").naive()


# Every task that builds or publishes the marts takes the one slot of this pool, whichever
# DAG it is in (refresh_marts, the closes, the daily refresh, the history): they share the
# build database and the serving copy. Created by `ioc airflow start` (ioc/airflow_services.py).
BUILD_POOL = "ioc_build"

# Per task: 3 tries in all, 2 min then 4 min apart (capped at 30 min).
DEFAULT_ARGS = {
    "retries": 2,
    "retry_delay": timedelta(minutes=2),
    "retry_exponential_backoff": True,
    "max_retry_delay": timedelta(minutes=30),
    "on_failure_callback": record_failed_task,
}
