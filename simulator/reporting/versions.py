"""Reports that come again over the API (switchable faults, off by default).

Decided per report version by (fault seed, the version's key), the same on every request;
applied to the listing before paging (``listing``). A changed copy changes one figure (the
first plain one, ``rows.changed_figure``) by δ = max(1, 1 % of it):

- ``revision_rate``: an approved report is revised ``REVISED_AFTER`` after its approval: a
  new ``phien_ban`` (one above its last), approved, with the figure raised by δ;
- ``late_correction_rate``: a report of a period that ended before the 2025-07-01 reform is
  corrected at ``LATE_AT`` (after it) the same way — its areas keep their old codes (the
  period decides); it takes the place of a revision;
- ``stale_copy_rate``: an older copy (``ngay_cap_nhat`` ``STALE_BEFORE`` earlier, the figure
  lowered by δ) is listed just before the version: the newest must win, not the first seen;
- ``repeat_rate``: an identical copy just after it (no effect);
- ``conflict_rate``: a copy with the same ``ngay_cap_nhat``, the figure raised by δ, just
  after it (no newer time: the copy received last stands, the documented rule).

A test recomputes what stands from ``listing`` (per ``ma_bao_cao``, ``phien_ban``: the newest
``ngay_cap_nhat``, then the copy listed last).
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from simulator.clock import local_seconds
from simulator.faults import FaultConfig
from simulator.hashing import uniform1
from simulator.reporting.rows import Query, Row, changed_figure, rows_at
from simulator.reporting.world import ReportingWorld

DAY = 86_400
REVISED_AFTER = 35 * DAY
STALE_BEFORE = 2 * DAY
LATE_AT = local_seconds(datetime(2025, 7, 15, 9, 0))
KINDS = ("revision", "late_correction", "stale_copy", "repeat", "conflict")


def _on(cfg: FaultConfig, name: str, row: Row) -> bool:
    rate = getattr(cfg, f"{name}_rate")
    return bool(rate) and uniform1(cfg.seed, f"reporting-{name}", row.key) < rate


def delta(row: Row) -> int:
    figures = row.report.figures[row.version - 1]
    if not figures:
        return 0
    return max(1, round(0.01 * (figures[changed_figure(figures)].value or 0)))


def _new_version(row: Row, cfg: FaultConfig, as_of: int) -> Row | None:
    """The version a revision or a late correction adds to a report's approved last version."""
    r = row.report
    if row.version != r.versions or row.step.state != "DA_DUYET" or not delta(row):
        return None
    if r.period.old_units and row.step.at < LATE_AT and _on(cfg, "late_correction", row):
        at = LATE_AT
    elif _on(cfg, "revision", row):
        at = row.step.at + REVISED_AFTER
    else:
        return None
    if at > as_of:
        return None
    return replace(row, sent_version=r.versions + 1, sent_at=at, bump=delta(row))


def listing(world: ReportingWorld, as_of: int, q: Query, cfg: FaultConfig) -> list[Row]:
    """The rows ``GET /bao-cao`` lists at ``as_of`` for ``q``, with the faults' copies."""
    if not any(getattr(cfg, f"{k}_rate") for k in KINDS):
        return rows_at(world, as_of, q)
    rows = rows_at(world, as_of, replace(q, cap_nhat_tu=None))
    rows += [v for v in (_new_version(r, cfg, as_of) for r in rows) if v is not None]
    if q.cap_nhat_tu is not None:
        rows = [r for r in rows if r.updated >= q.cap_nhat_tu]
    rows.sort(key=lambda r: (r.updated, r.report.code, r.phien_ban))
    out: list[Row] = []
    for row in rows:
        by = delta(row)
        if by and _on(cfg, "stale_copy", row):
            out.append(replace(row, sent_at=row.updated - STALE_BEFORE, bump=row.bump - by))
        out.append(row)
        if _on(cfg, "repeat", row):
            out.append(row)
        if by and _on(cfg, "conflict", row):
            out.append(replace(row, bump=row.bump + by))
    return out
