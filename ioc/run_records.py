"""What the scheduled runs record in the lake's ``_meta`` for the serving copy: the close of
a reporting period (``_meta/period_close/``) and a failed task (``_meta/failed_runs/``).
One small Parquet file per record, named by what it records, written to a temporary name
and renamed: re-closing a period or a task failing again replaces its file (never a
duplicate). The dq/marts models ``stg_meta__period_close`` and ``dq_failed_run`` read them.
"""

from __future__ import annotations

import os
import re
from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.common.settings import WarehousePaths
from ioc.calendar import Period

PERIOD_CLOSE_SCHEMA = pa.schema(
    [
        ("period_type", pa.string()),
        ("period_label", pa.string()),
        ("period_start", pa.date32()),
        ("period_end", pa.date32()),
        ("due_date", pa.date32()),
        ("closed_at", pa.timestamp("us")),  # the closing run's scheduled time, local
        ("dag_id", pa.string()),
        ("run_id", pa.string()),
        # the first close of the period, kept by every re-close: when it really ran (local)
        # and how (scheduled, manual, backfill); whether it met the deadline (fct_period_state)
        ("first_closed_at", pa.timestamp("us")),
        ("first_run_type", pa.string()),
    ]
)

FAILED_RUN_SCHEMA = pa.schema(
    [
        ("dag_id", pa.string()),
        ("run_id", pa.string()),
        ("task_id", pa.string()),
        ("map_index", pa.int64()),
        ("try_number", pa.int64()),
        ("logical_date", pa.timestamp("us")),  # local
        ("failed_at", pa.timestamp("us")),  # local
        ("error", pa.string()),
    ]
)


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", text)


def _write(path: Path, row: dict, schema: pa.Schema) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    pq.write_table(pa.Table.from_pylist([row], schema), tmp)
    os.replace(tmp, path)
    return path


def record_close(
    paths: WarehousePaths,
    period: Period,
    closed_at: datetime,
    dag_id: str,
    run_id: str,
    ran_at: datetime,
    run_type: str,
) -> Path:
    """The period's close, one file per period (a re-run replaces it but keeps when and how
    the period was first closed: a re-close does not turn a close made on time late)."""
    name = f"{period.period_type}__{_safe(period.label)}.parquet"
    path = paths.meta / "period_close" / name
    first = {"first_closed_at": ran_at, "first_run_type": run_type}
    if path.exists():
        before = pq.read_table(path).to_pylist()[0]
        if before.get("first_closed_at") is not None:
            first = {k: before[k] for k in first}
    row = first | {
        "period_type": period.period_type,
        "period_label": period.label,
        "period_start": period.start,
        "period_end": period.end,
        "due_date": period.due,
        "closed_at": closed_at,
        "dag_id": dag_id,
        "run_id": run_id,
    }
    return _write(path, row, PERIOD_CLOSE_SCHEMA)


def record_failure(
    paths: WarehousePaths,
    dag_id: str,
    run_id: str,
    task_id: str,
    map_index: int,
    try_number: int,
    logical_date: datetime | None,
    failed_at: datetime,
    error: str,
) -> Path:
    """A task that failed for good (after its retries), one file per task instance."""
    row = {
        "dag_id": dag_id,
        "run_id": run_id,
        "task_id": task_id,
        "map_index": map_index,
        "try_number": try_number,
        "logical_date": logical_date,
        "failed_at": failed_at,
        "error": error[:2000],
    }
    name = f"{_safe(dag_id)}__{_safe(run_id)}__{_safe(task_id)}__{map_index}.parquet"
    return _write(paths.meta / "failed_runs" / name, row, FAILED_RUN_SCHEMA)
