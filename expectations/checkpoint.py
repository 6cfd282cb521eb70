"""Validate what a run landed, and act on it: promote, reject or fail each load.

Every load a connector landed waits in ``lake/_staging`` (``ingest.common.lifecycle``). First
the share of its records the connector quarantined is held against the dataset's limit
(``quarantine_share``): over it, the load fails and goes no further. Then its dataset's
Great Expectations suite runs on the staged files. Great Expectations costs about half a
second per validation whatever the size, so the small loads of one dataset landed in the
same run (a history backfill: one load per month or per file) are checked together, up to
``validate.BATCH_ROWS`` rows: one validation instead of hundreds. The window a group is
checked against is then the span of its loads' windows. A load with a single window (the
usual monthly run) is checked alone, against its own window. Keys are unique within a load,
so every suite's uniqueness checks include ``_load_id``: they mean the same in a group.

A blocking failure on particular rows rejects the loads those rows came from (``_load_id``);
a blocking failure of the table as a whole (its columns, say) rejects every load of the
group. A rejected load goes to ``_meta/rejected/``, its failing rows to the quarantine, and
the ledger says so: the next run pulls its window again. Every other load is promoted into
the live lake. If the validation itself breaks off, every load not yet decided is recorded
as failed, stays out of the live lake, and the error goes on.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass

from expectations import quarantine_share, suites, volume
from expectations.quarantine_share import Limits
from expectations.validate import (
    BATCH_ROWS,
    CheckResult,
    ValidationFailed,
    Validator,
    gate,
    quarantine_rows,
)
from ingest.common import lifecycle
from ingest.common.lake import rejected_dir, staged_dir
from ingest.common.ledger import Ledger
from ingest.common.settings import WarehousePaths

log = logging.getLogger(__name__)

BROKE_OFF = "Lần nạp không được đưa vào vì việc kiểm tra bị lỗi giữa chừng"
TOO_MANY = "Lần nạp bị chặn vì quá nhiều dòng bị cách ly"


class Failure(str):
    """Why loads of one dataset did not go live (the text), and which loads: ``source``,
    ``dataset``, ``load_ids``."""

    source: str
    dataset: str
    load_ids: tuple[str, ...]

    def __new__(cls, text: str, source: str, dataset: str, load_ids) -> Failure:
        failure = super().__new__(cls, text)
        failure.source, failure.dataset = source, dataset
        failure.load_ids = tuple(sorted(load_ids))
        return failure


def headline(failures: list[Failure]) -> str:
    """One line naming every failing source with its datasets' failing loads, first what an
    operator reads in Airflow's grid and log: ``validation failed: ngansach (thu_ngan_sach:
    <load id>); reporting (…)``."""
    by_source: dict[str, dict[str, list[str]]] = {}
    for f in failures:
        by_source.setdefault(f.source, {}).setdefault(f.dataset, []).extend(f.load_ids)
    parts = [
        f"{source} ("
        + "; ".join(f"{ds}: {', '.join(dict.fromkeys(ids))}" for ds, ids in datasets.items())
        + ")"
        for source, datasets in sorted(by_source.items())
    ]
    return "validation failed: " + "; ".join(parts)


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


def check_loads(
    loads: list[dict],
    paths: WarehousePaths,
    run_id: str,
    province: str,
    limits: Limits | None = None,
) -> list[Failure]:
    """Decide every load a run reported; returns why each one that did not go live failed
    (empty: all promoted; ``headline`` names them in one line). Results go to
    ``_meta/dq_results``; Data Docs are rebuilt once."""
    try:
        return _check_loads(loads, paths, run_id, province, limits or Limits())
    except BaseException as exc:
        for load in loads:
            if lifecycle.status(paths.meta, load) == "landed":
                lifecycle.fail(paths, load, f"validation broke off: {exc!r}", BROKE_OFF)
        raise


def _check_loads(
    loads: list[dict], paths: WarehousePaths, run_id: str, province: str, limits: Limits
) -> list[Failure]:
    failures, landed = _screen(loads, paths, limits)
    validator = Validator(paths.data_docs, run_id)
    for group in groups(landed):
        suite = suites.suite_for(group.source, group.dataset, province)
        if suite is None:
            continue
        row_id = (*suites.row_id(group.source, group.dataset), "_load_id")
        started = time.perf_counter()
        results = validator.validate(
            group.name,
            group.label,
            [
                staged_dir(paths.lake, group.source, group.dataset, load["load_id"])
                for load in group.loads
            ],
            suite,
            suites.parameters(group.window),
            row_id,
        )
        validator.write(results, group.name, group.label, paths.meta)
        log.info(
            "checked %s (%d load(s), %d rows) in %.1f s: %s",
            group.name,
            len(group.loads),
            sum(load["rows"] for load in group.loads),
            time.perf_counter() - started,
            ", ".join(sorted({r.status for r in results})) or "no checks",
        )
        try:
            gate(results, group.name, group.label)
        except ValidationFailed as exc:
            failing = _failing_loads(results, group)
            failures.append(Failure(str(exc), group.source, group.dataset, failing))
            for load in group.loads:
                if load["load_id"] in failing:
                    _reject(paths, load, results, group.name, str(exc))
    for load in landed:
        if lifecycle.status(paths.meta, load) == "landed":
            lifecycle.promote(paths, load)
    for (source, dataset), members in _by_dataset(landed).items():
        _check_volume(validator, paths, source, dataset, members)
    started = time.perf_counter()
    validator.build_docs()
    log.info("Data Docs built in %.1f s", time.perf_counter() - started)
    return failures


def _screen(
    loads: list[dict], paths: WarehousePaths, limits: Limits
) -> tuple[list[Failure], list[dict]]:
    """Fail the loads that quarantined more than their dataset allows; the loads still
    landed go on to their checks. A load that failed when it landed (a file that could
    not be read) fails the run too when its share is over the limit."""
    failures, landed = [], []
    for load in loads:
        state = lifecycle.status(paths.meta, load)
        found = quarantine_share.share(load, limits)
        if found.too_high and state in ("landed", "failed"):
            reason = quarantine_share.reason(load, found, paths.meta)
            failures.append(Failure(reason, load["source"], load["dataset"], [load["load_id"]]))
            if state == "landed":
                lifecycle.fail(paths, load, reason, TOO_MANY)
        elif state == "landed":
            landed.append(load)
    return failures, landed


def _reject(
    paths: WarehousePaths, load: dict, results: list[CheckResult], dataset: str, reason: str
) -> None:
    where = rejected_dir(paths.meta, load["source"], load["dataset"], load["load_id"])
    mine = [_only(r, load["load_id"]) for r in results]
    lifecycle.reject(paths, load, reason, quarantine_rows(mine, dataset, load["load_id"], where))


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
