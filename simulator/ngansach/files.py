"""Which files exist at a moment, and their canonical rows.

The file of month *m* (``thu_ngan_sach_<YYYYMM>.csv``) is first exported 5–10 days after the
month ends (a weekday, office hours). Its rows: the month's figures of every unit active
then (``ngay_lap`` = the export time), followed by *restated* rows of the previous month of
the same year when that month was corrected here (same ``ky``, this file's newer
``ngay_lap``). A re-exported file (same name, new content) replaces the month's
first-reported figures by the corrected ones and carries the re-export time on every row.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.clock import iso_strings
from simulator.ngansach.catalog import GROUPS, LOCAL_GROUPS
from simulator.ngansach.world import FIRST_YEAR, MONTHS, BudgetWorld, month_label

COLUMNS = (
    "ky",
    "ma_dvhc",
    "cap_ngan_sach",
    "ma_nhom_thu",
    "ten_nhom_thu",
    "luy_ke_thuc_hien",
    "du_toan_nam",
    "ngay_lap",
)


def file_name(m: int) -> str:
    return f"thu_ngan_sach_{FIRST_YEAR + m // 12}{m % 12 + 1:02d}.csv"


@dataclass(frozen=True)
class FileVersion:
    month: int
    version: int  # 1 = first export, 2 = re-export
    exported_sec: int  # local seconds: the file's ngay_lap
    superseded: bool  # a newer version of the same name exists by the moment asked

    @property
    def name(self) -> str:
        return file_name(self.month)

    @property
    def ky(self) -> str:
        return month_label(self.month)


def versions(world: BudgetWorld, as_of_sec: int) -> list[FileVersion]:
    """Every version exported by ``as_of_sec``, oldest first within a name."""
    t = world.timeline
    out = []
    for m in range(MONTHS):
        if t.published[m] > as_of_sec:
            continue
        again = t.fate[m] == 2 and t.reexported[m] <= as_of_sec
        out.append(FileVersion(m, 1, int(t.published[m]), bool(again)))
        if again:
            out.append(FileVersion(m, 2, int(t.reexported[m]), False))
    return out


def current(world: BudgetWorld, as_of_sec: int) -> list[FileVersion]:
    """The version of each file name that sits in the drop folder at ``as_of_sec``."""
    return [v for v in versions(world, as_of_sec) if not v.superseded]


def canonical_rows(world: BudgetWorld, fv: FileVersion) -> list[dict]:
    """The rows the file holds, as values (amounts in million VND, ``ngay_lap`` ISO)."""
    f, m = world.figures, fv.month
    own = f.cumulative if fv.version == 2 else f.preliminary
    stamp = iso_strings(np.array([fv.exported_sec]))[0]
    rows = _rows(world, m, world.active(m), own, stamp)
    if m % 12 and world.timeline.fate[m - 1] == 1:
        restated = [i for i in world.active(m - 1) if world.restated[i, m - 1]]
        rows += _rows(world, m - 1, restated, f.cumulative, stamp)
    return rows


def _rows(world: BudgetWorld, m: int, units: list[int], values: np.ndarray, stamp: str) -> list:
    ky, est = month_label(m), world.figures.estimate
    out = []
    for i in units:
        unit = world.units[i]
        groups = range(len(GROUPS)) if unit.level == "TINH" else LOCAL_GROUPS
        for g in groups:
            out.append(
                {
                    "ky": ky,
                    "ma_dvhc": unit.code,
                    "cap_ngan_sach": unit.level,
                    "ma_nhom_thu": GROUPS[g][0],
                    "ten_nhom_thu": GROUPS[g][1],
                    "luy_ke_thuc_hien": float(values[i, g, m]) + 0.0,
                    "du_toan_nam": float(est[i, g, m]) + 0.0,
                    "ngay_lap": stamp,
                }
            )
    return out
