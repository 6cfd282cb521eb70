"""Bookkeeping shared by the loads: a ledger entry per load, quarantine rows."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from ingest.common.ledger import Ledger, LedgerEntry, Quarantine
from ingest.common.parse import now_local
from ingest.common.results import LoadResult
from ingest.common.windows import Window
from ingest.reporting.settings import SOURCE


def quarantine_rows(
    rejected: list[tuple[Any, str, str]], load_id: str, dataset: str
) -> list[dict[str, Any]]:
    now = now_local()
    return [
        {
            "load_id": load_id,
            "dataset": dataset,
            "reason": reason,
            "raw_location": where,
            "record": orjson.dumps(record, default=str).decode(),
            "quarantined_at": now,
        }
        for record, where, reason in rejected
    ]


def finish(
    paths_meta: Path,
    dataset: str,
    load_id: str,
    started: datetime,
    window: Window | None,
    rows_in: int,
    rows_loaded: int,
    rejected: list[dict[str, Any]],
    location: Path,
    message: str = "",
    duplicates: int = 0,
) -> LoadResult:
    """Write the load's quarantine and a success entry; the load's result."""
    Quarantine(paths_meta).write(SOURCE, dataset, load_id, rejected)
    Ledger(paths_meta).record(
        LedgerEntry(
            load_id,
            SOURCE,
            dataset,
            window.start if window else None,
            window.end if window else None,
            started,
            now_local(),
            "success",
            rows_in,
            rows_loaded,
            len(rejected),
            str(location),
            message,
        )
    )
    return LoadResult(
        SOURCE, dataset, load_id, rows_in, rows_loaded, len(rejected), location, window, duplicates
    )


def failed(
    paths_meta: Path,
    dataset: str,
    load_id: str,
    started: datetime,
    window: Window | None,
    rows_in: int,
    exc: BaseException,
) -> None:
    Ledger(paths_meta).record(
        LedgerEntry(
            load_id,
            SOURCE,
            dataset,
            window.start if window else None,
            window.end if window else None,
            started,
            now_local(),
            "failed",
            rows_in,
            message=str(exc)[:2000],
        )
    )
