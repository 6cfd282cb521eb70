"""Rows that come again in the budget files (switchable faults, off by default).

Decided per row by (fault seed, what the row is, the file and its version), the same on every
export; only rows of ``ADJUSTED`` groups with an amount above zero (a lowered copy never goes
negative, a raised domestic total keeps the sub-group rule):

- ``revision_rate``: a figure of the previous month (same year) is republished in this file
  with this file's newer ``ngay_lap`` and its cumulative raised by δ (months the world restates
  here anyway are left alone);
- ``stale_copy_rate``: an older copy (``ngay_lap`` 2 days earlier, lowered by δ) is written
  just before the row: the newest must win, not the last line;
- ``repeat_rate``: an identical line just after the row (no effect);
- ``conflict_rate``: a copy with the same ``ngay_lap`` raised by δ just after the row (no
  newer figure: the later line stands, the documented rule);
- ``late_correction_rate``: the file of ``LATE_MONTH`` (after the 2025-07-01 reform) also
  corrects that share of June 2025's rows — the last month before the reform, with the old
  units' codes (the ``ky`` decides) — raised by δ.

δ = max(1, 1 % of the amount), two decimals. Tests recompute the standing figures from the
rows returned here (``drop_files(...).rows``): newest ``ngay_lap``, then the later file, then
the later line.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from simulator.faults import FaultConfig
from simulator.hashing import key_of, uniform1
from simulator.ngansach.files import FileVersion, _rows
from simulator.ngansach.world import BudgetWorld

ADJUSTED = frozenset({"NOI_DIA", "XNK", "VIEN_TRO"})
STALE_BEFORE = timedelta(days=2)
LAST_OLD_MONTH = 41  # 2025-06
LATE_MONTH = 43  # the 2025-08 file


def delta(row: dict) -> float:
    return round(max(1.0, 0.01 * row["luy_ke_thuc_hien"]), 2)


def _raised(row: dict, by: float, stamp: str | None = None) -> dict:
    out = row | {"luy_ke_thuc_hien": round(row["luy_ke_thuc_hien"] + by, 2)}
    return out | {"ngay_lap": stamp} if stamp else out


def _eligible(row: dict) -> bool:
    return row["ma_nhom_thu"] in ADJUSTED and row["luy_ke_thuc_hien"] > 0


def _picked(cfg: FaultConfig, name: str, row: dict, *where: int | str) -> bool:
    rate = getattr(cfg, f"{name}_rate")
    if not rate or not _eligible(row):
        return False
    key = key_of(row["ky"], row["ma_dvhc"], row["cap_ngan_sach"], row["ma_nhom_thu"], *where)
    return uniform1(cfg.seed, f"ngansach-{name}", key) < rate


def _republished(world: BudgetWorld, fv: FileVersion, cfg: FaultConfig, stamp: str) -> list:
    """Rows of earlier months this file republishes: revisions of the previous month and, in
    the ``LATE_MONTH`` file, late corrections of June 2025."""
    m, out = fv.month, []
    if cfg.revision_rate and m % 12:
        natural = world.timeline.fate[m - 1] == 1
        units = [i for i in world.active(m - 1) if not (natural and world.restated[i, m - 1])]
        rows = _rows(world, m - 1, units, world.figures.cumulative, stamp)
        out += [_raised(r, delta(r)) for r in rows if _picked(cfg, "revision", r)]
    if cfg.late_correction_rate and m == LATE_MONTH:
        old = _rows(
            world, LAST_OLD_MONTH, world.active(LAST_OLD_MONTH), world.figures.cumulative, stamp
        )
        out += [_raised(r, delta(r)) for r in old if _picked(cfg, "late_correction", r)]
    return out


def with_versions(world: BudgetWorld, fv: FileVersion, rows: list[dict], cfg: FaultConfig) -> list:
    """The file's rows with the copies the faults add (in file order)."""
    if not any(
        getattr(cfg, f"{n}_rate")
        for n in ("revision", "stale_copy", "repeat", "conflict", "late_correction")
    ):
        return rows
    stamp = rows[0]["ngay_lap"] if rows else None
    out: list[dict] = []
    for row in rows + (_republished(world, fv, cfg, stamp) if stamp else []):
        where = (fv.name, fv.version)
        if _picked(cfg, "stale_copy", row, *where):
            older = datetime.fromisoformat(row["ngay_lap"]) - STALE_BEFORE
            out.append(_raised(row, -delta(row), older.isoformat()))
        out.append(row)
        if _picked(cfg, "repeat", row, *where):
            out.append(dict(row))
        if _picked(cfg, "conflict", row, *where):
            out.append(_raised(row, delta(row)))
    return out
