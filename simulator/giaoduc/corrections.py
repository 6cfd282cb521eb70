"""Late corrections (a switchable fault): a school year that ended before the 2025-07-01
reform, corrected after it. From ``LATE_AT`` on, a ``late_correction_rate`` share of the
schools of such a year (decided by fault seed, school and year) is listed with that update
time, its commune's *new* code (the school's system only knows today's units by then) and
``so_hoc_sinh``/``so_hoc_sinh_nu`` raised by ``delta`` (1 %, at least 1). The figure still
belongs to the old school year, and so to the old units.
"""

from __future__ import annotations

from datetime import datetime

from simulator.clock import REFORM_DATE, local_seconds
from simulator.faults import FaultConfig
from simulator.giaoduc.figures import EducationWorld
from simulator.hashing import key_of, uniform1

LATE_AT = datetime(2025, 7, 15, 9, 0)


def is_corrected(cfg: FaultConfig, ma_truong: str, start: int) -> bool:
    rate = cfg.late_correction_rate
    return bool(rate) and uniform1(cfg.seed, "late-correction", key_of(ma_truong, start)) < rate


def late_corrections(
    world: EducationWorld, start: int, rows: list[dict], cfg: FaultConfig, as_of_sec: int
) -> list[dict]:
    """``rows`` (the year as listed) with the late corrections out by ``as_of_sec``."""
    ends = datetime(start + 1, 6, 1)
    reform = datetime(REFORM_DATE.year, REFORM_DATE.month, REFORM_DATE.day)
    if not cfg.late_correction_rate or ends >= reform or as_of_sec < local_seconds(LATE_AT):
        return rows
    schools = {s.ma_truong: s for s in world.active(start)}
    at = local_seconds(LATE_AT)
    out = []
    for row in rows:
        if is_corrected(cfg, row["ma_truong"], start):
            by = max(1, round(0.01 * row["so_hoc_sinh"]))
            row = row | {
                "ma_dvhc": world.unit_code(schools[row["ma_truong"]], at),
                "so_hoc_sinh": row["so_hoc_sinh"] + by,
                "so_hoc_sinh_nu": row["so_hoc_sinh_nu"] + by,
                "ngay_cap_nhat": LATE_AT.isoformat() + "+07:00",
            }
        out.append(row)
    return out
