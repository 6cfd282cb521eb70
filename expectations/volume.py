"""Plausibility against history: does a load hold about as much as the loads before it?

A dataset opts in with ``VOLUME = (low, high)`` in its suite module. Each load's rows per
day of its window (rows, for a file) are compared with the median of the same figure over
the dataset's previous ``HISTORY`` successful loads, from the ledger; the ratio must lie in
[low, high]. A month with a fraction of the usual dossiers is more often a source that lost
data than a quiet month: reported under đủ (complete), as a warning — it publishes, flagged.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable
from datetime import datetime
from typing import Any

import great_expectations as gx
import great_expectations.expectations as gxe
import pandas as pd

from ingest.common.ledger import Ledger

HISTORY = 12
COLUMNS = [
    "_load_id",
    "rows",
    "rows_per_day",
    "history_loads",
    "history_median",
    "ratio_to_history",
]


def _rate(rows: int, start: datetime | None, end: datetime | None) -> float:
    if start is None or end is None or end <= start:
        return float(rows)
    return rows / ((end - start).total_seconds() / 86_400)


def _order(start: datetime | None, started_at: datetime) -> tuple[datetime, datetime]:
    return (start or started_at, started_at)


def profile(loads: list[dict], ledger: Ledger, source: str, dataset: str) -> pd.DataFrame:
    """One row per load: its volume, and the median volume of the loads before it."""
    latest: dict[str, dict] = {}
    for e in ledger.entries(source, dataset).to_pylist():
        held = latest.get(e["load_id"])
        if held is None or e["started_at"] > held["started_at"]:
            latest[e["load_id"]] = e
    history = sorted(
        (
            _order(e["window_start"], e["started_at"]),
            _rate(e["rows_loaded"], e["window_start"], e["window_end"]),
            e["load_id"],
        )
        for e in latest.values()
        if e["status"] == "success"
    )
    rows = []
    for load in loads:
        entry = latest.get(load["load_id"])
        if entry is None:
            continue
        here = _order(entry["window_start"], entry["started_at"])
        before = [rate for key, rate, lid in history if key < here and lid != load["load_id"]]
        before = before[-HISTORY:]
        rate = _rate(load["rows"], entry["window_start"], entry["window_end"])
        median = statistics.median(before) if before else None
        rows.append(
            {
                "_load_id": load["load_id"],
                "rows": load["rows"],
                "rows_per_day": rate,
                "history_loads": len(before),
                "history_median": median,
                "ratio_to_history": rate / median if median else None,
            }
        )
    return pd.DataFrame(rows, columns=COLUMNS)


def suite_builder(name: str, low: float, high: float) -> Callable[[], Any]:
    def build() -> gx.ExpectationSuite:
        suite = gx.ExpectationSuite(name=f"{name}.volume")
        suite.add_expectation(
            gxe.ExpectColumnValuesToBeBetween(
                column="ratio_to_history",
                min_value=low,
                max_value=high,
                severity="warning",
                meta={"dimension": "du", "rule": "plausibility"},
            )
        )
        return suite

    return build
