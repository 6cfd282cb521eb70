"""Validate what a run landed, and act on it: record results, reject failing loads.

A load is checked with its dataset's suite. Great Expectations costs about half a second per
validation whatever the size, so the small loads of one dataset landed in the same run (a
history backfill: one load per month or per file) are checked together, up to
``validate.BATCH_ROWS`` rows: one validation instead of hundreds. The window a group is
checked against is then the span of its loads' windows. A load with a single window (the
usual monthly run) is checked alone, against its own window. Keys are unique within a load,
so every suite's uniqueness checks include ``_load_id``: they mean the same in a group.

A blocking failure on particular rows rejects the loads those rows came from (``_load_id``);
a blocking failure of the table as a whole (its columns, say) rejects every load of the
group. A rejected load leaves the live lake for ``_meta/rejected/``, its failing rows go to
the quarantine, and the ledger says so: the next run pulls its window again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

import orjson

from expectations import suites, volume
from expectations.validate import (
    BATCH_ROWS,
    CheckResult,
    ValidationFailed,
    Validator,
    gate,
    quarantine_rows,
)
from ingest.common.lake import reject_load
from ingest.common.ledger import Ledger, LedgerEntry, Quarantine
from ingest.common.parse import now_local
from ingest.common.settings import WarehousePaths


@dataclass(frozen=True)
class Group:
    """Loads of one dataset validated together (often just one)."""

    source: str
    dataset: str
    loads: tuple[dict, ...]

    @property
    def name(self) -> str:
        return f"{self.source}.{self.dataset}"

    @property
    def label(self) -> str:
        first, last = self.loads[0]["load_id"], self.loads[-1]["load_id"]
        return first if len(self.loads) == 1 else f"{first}..{last}"

    @property
    def window(self) -> list[str] | None:
        windows = [load["window"] for load in self.loads]
        if any(w is None for w in windows):
            return None
        return [min(w[0] for w in windows), max(w[1] for w in windows)]


def groups(loads: list[dict], max_rows: int = BATCH_ROWS) -> Iterator[Group]:
    """Consecutive loads of each dataset, packed up to ``max_rows`` rows per group."""
    by_dataset: dict[tuple[str, str], list[dict]] = {}
    for load in loads:
        if load["rows"]:
            by_dataset.setdefault((load["source"], load["dataset"]), []).append(load)
    for (source, dataset), members in by_dataset.items():
        pack: list[dict] = []
        rows = 0
        for load in members:
            if pack and rows + load["rows"] > max_rows:
                yield Group(source, dataset, tuple(pack))
                pack, rows = [], 0
            pack.append(load)
            rows += load["rows"]
        if pack:
            yield Group(source, dataset, tuple(pack))


def check_loads(loads: list[dict], paths: WarehousePaths, run_id: str, province: str) -> list[str]:
    """Validate every load that has a suite; returns the blocking failures (empty: all
    passed). Results go to ``_meta/dq_results``; Data Docs are rebuilt once at the end."""
    validator = Validator(paths.data_docs, run_id)
    failures = []
    for group in groups(loads):
        suite = suites.suite_for(group.source, group.dataset, province)
        if suite is None:
            continue
        row_id = (*suites.row_id(group.source, group.dataset), "_load_id")
        results = validator.validate(
            group.name,
            group.label,
            [Path(load["path"]) for load in group.loads],
            suite,
            suites.parameters(group.window),
            row_id,
        )
        validator.write(results, group.name, group.label, paths.meta)
        failing: set[str] = set()
        reason = ""
        try:
            gate(results, group.name, group.label)
        except ValidationFailed as exc:
            failures.append(str(exc))
            failing = _failing_loads(results, group)
            reason = str(exc)
        for load in group.loads:
            rows: list[dict] = []
            if load["load_id"] in failing:
                kept = reject(paths, load, reason)
                mine = [_only(r, load["load_id"]) for r in results]
                rows = [
                    _whole_load(load, kept),
                    *quarantine_rows(mine, group.name, load["load_id"], kept),
                ]
            # Replaces (or clears, once the load passes) what the checks quarantined before.
            Quarantine(paths.meta).write(
                group.source, group.dataset, f"{load['load_id']}__checks", rows
            )
    for (source, dataset), members in _by_dataset(loads).items():
        _check_volume(validator, paths, source, dataset, members)
    validator.build_docs()
    return failures


def _by_dataset(loads: list[dict]) -> dict[tuple[str, str], list[dict]]:
    out: dict[tuple[str, str], list[dict]] = {}
    for load in loads:
        out.setdefault((load["source"], load["dataset"]), []).append(load)
    return out


def _check_volume(
    validator: Validator, paths: WarehousePaths, source: str, dataset: str, loads: list[dict]
) -> None:
    """Plausibility of each load's volume against the dataset's history (a warning)."""
    bounds = suites.volume_range(source, dataset)
    frame = volume.profile(loads, Ledger(paths.meta), source, dataset) if bounds else None
    if frame is None or frame["history_median"].isna().all():
        return  # no history yet: nothing to compare with
    name = f"{source}.{dataset}"
    label = f"volume__{loads[0]['load_id']}" + (
        f"..{loads[-1]['load_id']}" if len(loads) > 1 else ""
    )
    results = validator.validate(
        f"{name}#volume", label, frame, volume.suite_builder(name, *bounds), {}, ("_load_id",)
    )
    validator.write(results, name, label, paths.meta)


def _whole_load(load: dict, kept: Path) -> dict:
    """The quarantine entry that stands for every row of a rejected load (none was loaded);
    the rows that failed are listed after it, each with its check."""
    return {
        "load_id": load["load_id"],
        "dataset": load["dataset"],
        "reason": (
            f"Lần nạp bị loại vì không đạt kiểm tra bắt buộc: cả {load['rows']} dòng "
            "không được đưa vào hồ dữ liệu (các dòng lỗi liệt kê riêng)."
        ),
        "raw_location": str(kept),
        "record": orjson.dumps({"rows": load["rows"]}).decode(),
        "quarantined_at": now_local(),
    }


def _failing_loads(results: list[CheckResult], group: Group) -> set[str]:
    """Loads implicated by the blocking failures: by their rows, or all for a table-level
    failure."""
    everyone = {load["load_id"] for load in group.loads}
    implicated: set[str] = set()
    for r in results:
        if r.status != "fail":
            continue
        if not r.failed_rows:
            return everyone
        implicated |= {row.get("_load_id") for row in r.failed_rows} & everyone
    return implicated or everyone


def _only(result: CheckResult, load_id: str) -> CheckResult:
    """The result with only the failing rows of one load."""
    kept = [
        {k: v for k, v in row.items() if k != "_load_id"}
        for row in result.failed_rows
        if row.get("_load_id") == load_id
    ]
    return CheckResult(
        result.check_name,
        result.dimension,
        result.severity,
        result.rows_checked,
        len(kept),
        result.failed,
        result.details,
        kept,
    )


def reject(paths: WarehousePaths, load: dict, reason: str) -> Path:
    """Move a load that failed a blocking check out of the live lake and say so in the
    ledger; the next run pulls its window again."""
    kept = reject_load(paths.lake, paths.meta, load["source"], load["dataset"], load["load_id"])
    start, end = (datetime.fromisoformat(w) if w else None for w in load["window"] or (None, None))
    now = now_local()
    Ledger(paths.meta).record(
        LedgerEntry(
            load["load_id"],
            load["source"],
            load["dataset"],
            start,
            end,
            now,
            now,
            "rejected",
            load["rows"] + load["quarantined"],
            0,
            load["rows"],
            str(kept),
            reason[:2000],
        )
    )
    return kept
