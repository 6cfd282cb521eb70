"""Each school's figures per school year, their updates, and the graduation exam results.

A school year's figures appear at its opening (mid-September) and are updated in two
rounds (January, April); a school takes part in a round with some probability, and its
``ngay_cap_nhat`` is the time of its latest update. ``version`` k = the figures after k
rounds (0 = the opening). Exam results (THPT and GDTX schools) appear in July of the exam
year. Every school year and exam is generated alone from its own random stream.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache

import numpy as np

from simulator.admin_units import DemoUnits, load_demo_units
from simulator.clock import REFORM_DATE, from_local_seconds, local_seconds
from simulator.giaoduc.schools import FIRST_YEAR, LAST_YEAR, LEVELS, School, build_schools

CLASS_SIZE = (27, 33, 37, 39, 32)
TEACHERS_PER_CLASS = (2.1, 1.45, 1.95, 2.2, 1.6)
GIRLS = (0.485, 0.483, 0.487, 0.505, 0.44)
TREND = (-0.02, -0.005, 0.015, 0.02, 0.0)  # yearly change of pupils, by level
QUALIFIED = {2021: 0.83, 2022: 0.86, 2023: 0.885, 2024: 0.905, 2025: 0.925, 2026: 0.935}
ROUND_SHARE = (0.7, 0.5)  # schools updating in the January and April rounds
EXAM_RESULTS = {
    2022: date(2022, 7, 24),
    2023: date(2023, 7, 18),
    2024: date(2024, 7, 17),
    2025: date(2025, 7, 16),
    2026: date(2026, 7, 15),
}


def school_year(start: int) -> str:
    return f"{start}-{start + 1}"


def parse_school_year(text: str) -> int:
    """``2023-2024`` → 2023 (``ValueError`` if it is not a school year)."""
    first, sep, second = text.partition("-")
    if not (sep and first.isdigit() and second.isdigit() and int(second) == int(first) + 1):
        raise ValueError(f"{text!r} không phải năm học dạng 2023-2024.")
    return int(first)


def _rng(seed: int, stream: str, *key: int) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(stream.encode()), *key])


def _at(day: date, seconds: int) -> int:
    return local_seconds(datetime(day.year, day.month, day.day)) + int(seconds)


@dataclass(frozen=True)
class Snapshot:
    """One school's figures at one version of a school year."""

    so_lop: int
    so_hoc_sinh: int
    so_hoc_sinh_nu: int
    so_giao_vien: int
    so_giao_vien_dat_chuan: int
    updated: int  # local seconds


class EducationWorld:
    def __init__(self, seed: int = 56, units: DemoUnits | None = None) -> None:
        self.seed = seed
        self.units = units or load_demo_units()
        self.schools = build_schools(seed, self.units)
        self.by_code = {s.ma_truong: s for s in self.schools}
        self.absorbed: dict[str, list[School]] = {}
        for s in self.schools:
            if s.merged_into:
                self.absorbed.setdefault(s.merged_into, []).append(s)
        self.year_rows = lru_cache(maxsize=32)(self._year_rows)

    def active(self, start: int) -> list[School]:
        return [s for s in self.schools if s.first_year <= start <= s.last_year]

    def rounds(self, start: int) -> list[int]:
        """When the opening figures and the two update rounds of a school year appear."""
        rng = _rng(self.seed, "rounds", start)
        days = (
            date(start, 9, 12 + int(rng.integers(0, 8))),
            date(start + 1, 1, 8 + int(rng.integers(0, 12))),
            date(start + 1, 4, 12 + int(rng.integers(0, 12))),
        )
        return [_at(d, 8 * 3600) for d in days]

    def version(self, start: int, as_of_sec: int) -> int | None:
        """How many update rounds of a school year are out at ``as_of_sec`` (None: not open)."""
        if not FIRST_YEAR <= start <= LAST_YEAR:
            return None
        out = sum(as_of_sec >= t for t in self.rounds(start)) - 1
        return None if out < 0 else out

    def served(self, start: int, as_of_sec: int) -> list[dict]:
        """Exactly what ``truong?nam_hoc=`` lists at ``as_of_sec`` (no faults)."""
        v = self.version(start, as_of_sec)
        return [] if v is None else list(self.year_rows(start, v))

    def pupils(self, school: School, start: int) -> float:
        level = LEVELS.index(school.cap_hoc)
        noise = _rng(self.seed, "pupils", start, int(school.ma_truong)).lognormal(0, 0.04)
        size = school.size * (1 + TREND[level]) ** (start - FIRST_YEAR) * noise
        absorbed = self.absorbed.get(school.ma_truong, [])
        return size + sum(a.size * 0.9 for a in absorbed if a.last_year < start)

    def snapshots(self, school: School, start: int) -> list[Snapshot]:
        """The school's figures at the opening and after each round (same if it skipped one)."""
        level = LEVELS.index(school.cap_hoc)
        rng = _rng(self.seed, "school-year", start, int(school.ma_truong))
        rounds = self.rounds(start)
        pupils = max(15, round(self.pupils(school, start)))
        size = min(40, max(25, CLASS_SIZE[level] + rng.uniform(-3, 3)))
        classes = max(1, round(pupils / size))
        pupils = min(max(pupils, 25 * classes), 40 * classes)  # class sizes 25–40
        teachers = max(classes, round(classes * TEACHERS_PER_CLASS[level] * rng.uniform(0.9, 1.1)))
        qualified = QUALIFIED[start] - (0.03 if level == 0 else 0) + rng.normal(0, 0.025)
        girls = int(rng.binomial(pupils, GIRLS[level]))
        ok = min(teachers, round(teachers * min(1.0, qualified)))
        out = [
            Snapshot(classes, pupils, girls, teachers, ok, rounds[0] + int(rng.integers(0, 36000)))
        ]
        for k, share in enumerate(ROUND_SHARE, start=1):
            prev = out[-1]
            if rng.random() >= share:
                out.append(prev)
                continue
            moved = round(prev.so_hoc_sinh * float(rng.normal(0, 0.01)))
            pupils = min(max(prev.so_hoc_sinh + moved, 25 * prev.so_lop), 40 * prev.so_lop)
            girls = min(pupils, max(0, prev.so_hoc_sinh_nu + round(moved * GIRLS[level])))
            teachers = max(prev.so_lop, prev.so_giao_vien + int(rng.integers(-1, 2)))
            ok = min(teachers, prev.so_giao_vien_dat_chuan + int(rng.integers(0, 3)))
            when = rounds[k] + int(rng.integers(0, 3)) * 86400 + int(rng.integers(0, 9 * 3600))
            out.append(Snapshot(prev.so_lop, pupils, girls, teachers, ok, when))
        return out

    def _year_rows(self, start: int, version: int) -> tuple[dict, ...]:
        rows = []
        for s in sorted(self.active(start), key=lambda s: s.ma_truong):
            snap = self.snapshots(s, start)[version]
            rows.append(
                {
                    "ma_truong": s.ma_truong,
                    "ten_truong": s.ten_truong,
                    "cap_hoc": s.cap_hoc,
                    "loai_hinh": s.loai_hinh,
                    "ma_dvhc": self.unit_code(s, snap.updated),
                    "so_lop": snap.so_lop,
                    "so_hoc_sinh": snap.so_hoc_sinh,
                    "so_hoc_sinh_nu": snap.so_hoc_sinh_nu,
                    "so_giao_vien": snap.so_giao_vien,
                    "so_giao_vien_dat_chuan": snap.so_giao_vien_dat_chuan,
                    "ngay_cap_nhat": _iso(snap.updated),
                }
            )
        return tuple(rows)

    def unit_code(self, school: School, sec: int) -> str:
        """The school's commune: old code before the reform, new code from then on."""
        if sec < local_seconds(datetime(REFORM_DATE.year, REFORM_DATE.month, REFORM_DATE.day)):
            return self.units.commune_code[school.place]
        return self.units.new_commune_code[school.place]

    # -- graduation exam -------------------------------------------------------------------
    def exam_published(self, year: int) -> int | None:
        day = EXAM_RESULTS.get(year)
        return None if day is None else _at(day, 8 * 3600)

    def exam_results(self, year: int) -> tuple[dict, ...]:
        """Results of the exam held in ``year`` (school year ``year-1``-``year``)."""
        start = year - 1
        if start < FIRST_YEAR or year not in EXAM_RESULTS:
            return ()
        rows = []
        for s in sorted(self.active(start), key=lambda s: s.ma_truong):
            if s.cap_hoc not in ("THPT", "GDTX"):
                continue
            rng = _rng(self.seed, "exam", year, int(s.ma_truong))
            final = self.snapshots(s, start)[-1].so_hoc_sinh
            thpt = s.cap_hoc == "THPT"
            candidates = round(final * (0.32 if thpt else 0.34) * rng.uniform(0.95, 0.995))
            rate = rng.uniform(0.975, 0.998) if thpt else rng.uniform(0.86, 0.96)
            rows.append(
                {
                    "ma_truong": s.ma_truong,
                    "thi_sinh_du_thi": candidates,
                    "thi_sinh_tot_nghiep": round(candidates * rate),
                }
            )
        return tuple(rows)

    def exam_served(self, year: int, as_of_sec: int) -> list[dict]:
        """Exactly what ``ket-qua-tot-nghiep?nam=`` lists at ``as_of_sec`` (no faults)."""
        published = self.exam_published(year)
        if published is None or as_of_sec < published:
            return []
        return list(self.exam_results(year))


def _iso(sec: int) -> str:
    return from_local_seconds(sec).isoformat()
