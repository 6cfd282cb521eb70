"""A load's states, and every move between them, in one place.

::

    (attempt) ──▶ landed ──▶ success     validated, promoted into the live lake
        │            ├─────▶ rejected    a blocking expectation failed
        │            └─────▶ failed      quarantined more than its dataset allows, or the
        └──────────────────▶ failed      validation broke off; or the attempt itself broke
                                         off / its file could not be read (nothing landed)

What ``dq.load_ledger.status`` says to a steward:

- ``landed``: written to ``lake/_staging``, waiting for its checks; not in the live lake, not
  served. A load stays here only while its run is under way (or if the run was killed).
- ``success``: passed its blocking checks and is in the live lake (``lake/<source>/…``).
- ``rejected``: failed a blocking expectation; kept under ``_meta/rejected/``, its failing
  rows in the quarantine; the next run pulls its window again.
- ``failed``: did not go live: the attempt broke off, the file could not be read, more of its
  rows were quarantined than its dataset allows, or the validation itself broke off. The
  message says which, with the top reasons; whatever it wrote is under ``_meta/rejected/``.

An earlier copy of the same load stays live whatever happens to a new attempt: only a
promotion replaces it (whole). Each attempt is one ledger row (source, load id, start),
rewritten at each move; the quarantine is written here too, and nowhere else: the rows a
connector could not read when the load lands (``<load_id>.parquet``), the load set aside
whole and its failing rows when it leaves staging (``<load_id>__checks.parquet``, cleared
when it passes).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson

from ingest.common import lake
from ingest.common.ledger import Ledger, LedgerEntry, Quarantine
from ingest.common.parse import now_local
from ingest.common.settings import WarehousePaths

MOVES = {
    None: {"landed", "failed"},
    "landed": {"success", "rejected", "failed"},
}
CHECKS = "__checks"  # the quarantine file of what the checks set aside


class IllegalMove(RuntimeError):
    """A load asked to move to a state it cannot reach from where it is."""


def settle(meta: Path, entry: LedgerEntry, unread: list[dict[str, Any]]) -> None:
    """Record a new attempt (``landed``, or ``failed`` when nothing could land) with the
    rows its connector could not read (replacing an earlier run's)."""
    _check(None, entry.status, entry.load_id)
    Quarantine(meta).write(entry.source, entry.dataset, entry.load_id, unread)
    Ledger(meta).record(entry)


def status(meta: Path, load: dict) -> str | None:
    """The state of the attempt a connector reported (``LoadResult.to_dict``)."""
    entry = _entry(meta, load)
    return entry.status if entry else None


def promote(paths: WarehousePaths, load: dict) -> Path:
    """``landed`` → ``success``: the load enters the live lake, its checks' quarantine clears."""
    entry = _move(paths.meta, load, "success")
    live = lake.promote(paths.lake, entry.source, entry.dataset, entry.load_id)
    Quarantine(paths.meta).write(entry.source, entry.dataset, entry.load_id + CHECKS, [])
    staged = str(lake.staged_dir(paths.lake, entry.source, entry.dataset, entry.load_id))
    where = str(live) if entry.raw_location == staged else entry.raw_location
    Ledger(paths.meta).record(
        replace(entry, status="success", finished_at=now_local(), raw_location=where)
    )
    return live


def reject(paths: WarehousePaths, load: dict, reason: str, failing: list[dict]) -> Path | None:
    """``landed`` → ``rejected`` (a blocking expectation failed): set the load aside with
    its ``failing`` rows (quarantine entries); the next run pulls its window again."""
    why = "Lần nạp bị loại vì không đạt kiểm tra bắt buộc"
    return _set_aside(paths, load, "rejected", reason, why, failing)


def fail(paths: WarehousePaths, load: dict, reason: str, why: str) -> Path | None:
    """``landed`` → ``failed``: the load does not go live (``why``, in Vietnamese, heads the
    quarantine entry that stands for its rows; ``reason`` goes to the ledger)."""
    return _set_aside(paths, load, "failed", reason, why, [])


def _set_aside(
    paths: WarehousePaths, load: dict, state: str, reason: str, why: str, failing: list[dict]
) -> Path | None:
    entry = _move(paths.meta, load, state)
    kept = lake.set_aside(paths.lake, paths.meta, entry.source, entry.dataset, entry.load_id)
    whole = {
        "load_id": entry.load_id,
        "dataset": entry.dataset,
        "reason": f"{why}: cả {entry.rows_loaded} dòng không được đưa vào hồ dữ liệu"
        " (các dòng lỗi liệt kê riêng).",
        "raw_location": str(kept or entry.raw_location),
        "record": orjson.dumps({"rows": entry.rows_loaded}).decode(),
        "quarantined_at": now_local(),
    }
    rows = [whole, *failing] if entry.rows_loaded else failing
    Quarantine(paths.meta).write(entry.source, entry.dataset, entry.load_id + CHECKS, rows)
    Ledger(paths.meta).record(
        replace(
            entry,
            status=state,
            finished_at=now_local(),
            rows_loaded=0,  # none live; rows_quarantined stays what could not be read
            raw_location=str(kept or entry.raw_location),
            message=reason[:2000],
        )
    )
    return kept


def _entry(meta: Path, load: dict) -> LedgerEntry | None:
    started = datetime.fromisoformat(load["started_at"])
    return Ledger(meta).attempt(load["source"], load["load_id"], started)


def _move(meta: Path, load: dict, state: str) -> LedgerEntry:
    entry = _entry(meta, load)
    if entry is None:
        raise IllegalMove(f"{load['source']}.{load['dataset']} load {load['load_id']}: no attempt")
    _check(entry.status, state, entry.load_id)
    return entry


def _check(current: str | None, state: str, load_id: str) -> None:
    if state not in MOVES.get(current, set()):
        raise IllegalMove(f"load {load_id} cannot move from {current or 'nothing'} to {state}")
