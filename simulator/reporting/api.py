"""Python API of the reporting simulator: the canonical reports and files, for tests and
for computing expected figures independently of any connector."""

from __future__ import annotations

from simulator.clock import AS_OF_SEC
from simulator.dichvucong.api import Instant, instant
from simulator.faults import FaultConfig
from simulator.reporting.catalog import indicators_json, sets_json
from simulator.reporting.drop import files_at
from simulator.reporting.excel import ExcelReport
from simulator.reporting.report import window_report
from simulator.reporting.rows import Query, row_json
from simulator.reporting.versions import listing
from simulator.reporting.world import ReportingWorld


def _config(faults: FaultConfig | dict | None) -> FaultConfig:
    return faults if isinstance(faults, FaultConfig) else FaultConfig.from_dict(faults)


def reports(
    *,
    as_of: Instant | None = None,
    since: Instant | None = None,
    seed: int = 56,
    world: ReportingWorld | None = None,
    faults: FaultConfig | dict | None = None,
) -> list[dict]:
    """Every report version the API serves at ``as_of`` (default 2026-11-01) with
    ``ngay_cap_nhat >= since``, as JSON in the served order (numbers as sent: a few
    ``thuc_hien`` are Vietnamese-format strings), with the copies and versions the revision
    ``faults`` add (no spoiled values)."""
    world = world or ReportingWorld(seed)
    at = instant(as_of) if as_of is not None else AS_OF_SEC
    q = Query(cap_nhat_tu=instant(since) if since is not None else None)
    return [row_json(r, world.seed) for r in listing(world, at, q, _config(faults))]


def report(
    start: Instant,
    end: Instant,
    *,
    as_of: Instant | None = None,
    seed: int = 56,
    faults: FaultConfig | dict | None = None,
    world: ReportingWorld | None = None,
) -> dict:
    """What ``GET /_sim/reporting/report`` says for [start, end), less what was served."""
    world = world or ReportingWorld(seed)
    at = instant(as_of) if as_of is not None else AS_OF_SEC
    return window_report(world, _config(faults), at, instant(start), instant(end))


def excel_files(
    *,
    as_of: Instant | None = None,
    seed: int = 56,
    faults: FaultConfig | dict | None = None,
    world: ReportingWorld | None = None,
) -> list[ExcelReport]:
    """The content of every file in the drop at ``as_of``: ``name``, ``version``, ``lines``
    (each data row: Excel ``row``, ``stt``, ``ma_chi_tieu`` as typed, names, numbers) and
    ``defects`` ({row, cell, field, kind, sent, expected}) for the fault config."""
    world = world or ReportingWorld(seed)
    at = instant(as_of) if as_of is not None else AS_OF_SEC
    return files_at(world, _config(faults), at)


__all__ = ["excel_files", "indicators_json", "report", "reports", "sets_json"]
