"""The schools of the demo province: where they are, what they are, when they exist.

About 1,030 schools (old Khánh Hòa ≈ 680, old Ninh Thuận ≈ 350), each in an old commune
(``DemoUnits`` place). Every commune has a kindergarten and a primary school; the rest are
spread by the communes' population weights; one continuing-education centre per district.
A few schools open in later school years, a few close, and some of those merge into a
school of the same level in the same commune (its pupils move there). ``ma_truong`` never
changes. Not scaled: a province has the schools it has. Another province's (multi-province
mode) are counted from its real units the way the demo's are (``counts_of``).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

import numpy as np

from simulator.admin_units import DemoUnits, load_demo_units

LEVELS = ("MN", "TH", "THCS", "THPT", "GDTX")
FIRST_YEAR, LAST_YEAR = 2021, 2026  # school years 2021-2022 .. 2026-2027 (start years)
COUNTS = {"56": (280, 225, 125, 40, 10), "58": (130, 125, 68, 20, 7)}
# Schools per old commune by level, as in the demo (old Khánh Hòa's 139 communes); the
# continuing-education centres: one per district.
PER_COMMUNE = (2.0, 1.6, 0.9, 0.29)
PRIVATE_SHARE = (0.22, 0.03, 0.02, 0.08, 0.0)
PUPILS = (180, 525, 680, 990, 300)  # typical pupils per school, by level
KINDERGARTEN_NAMES = (
    "Hoa Sen", "Hoa Mai", "Sơn Ca", "Họa Mi", "Vành Khuyên", "Tuổi Thơ", "Bình Minh",
    "Hướng Dương", "Hoa Hồng", "Sao Mai", "Ánh Dương", "Hoa Phượng",
)  # fmt: skip
PEOPLE = (
    "Lê Quý Đôn", "Nguyễn Du", "Trần Phú", "Lý Tự Trọng", "Nguyễn Trãi", "Lê Lợi",
    "Quang Trung", "Nguyễn Huệ", "Hàm Nghi", "Phan Bội Châu", "Phan Chu Trinh", "Võ Thị Sáu",
    "Nguyễn Văn Trỗi", "Trần Quốc Tuấn", "Lê Hồng Phong", "Nguyễn Thị Minh Khai", "Chu Văn An",
    "Hùng Vương", "Ngô Gia Tự", "Tô Hiến Thành", "Trần Hưng Đạo", "Lý Thường Kiệt",
    "Nguyễn Bỉnh Khiêm", "Huỳnh Thúc Kháng", "Trần Cao Vân", "Lương Thế Vinh",
    "Nguyễn Chí Thanh", "Hoàng Hoa Thám", "Phạm Văn Đồng", "Tôn Đức Thắng", "Nguyễn Khuyến",
    "Đinh Tiên Hoàng", "Mạc Đĩnh Chi", "Bùi Thị Xuân", "Nguyễn Thái Học", "Lê Thánh Tông",
    "Trần Bình Trọng", "Phan Đình Phùng", "Nguyễn Văn Cừ", "Võ Nguyên Giáp",
)  # fmt: skip


@dataclass(frozen=True)
class School:
    ma_truong: str
    ten_truong: str
    cap_hoc: str
    loai_hinh: str
    place: int  # index into DemoUnits (an old commune)
    first_year: int  # first school year (start year) it reports
    last_year: int  # last school year it reports
    merged_into: str | None  # the school that took its pupils when it closed
    size: float  # pupils in a typical year


def _bare(name: str) -> str:
    for prefix in ("Thị trấn ", "Phường ", "Xã "):
        if name.startswith(prefix):
            return name[len(prefix) :]
    return name


def _places(rng: np.random.Generator, units: DemoUnits, region: str, level: int, n: int) -> list:
    idx = np.array([i for i in range(units.n) if units.province_code[i] == region])
    weight = units.weight[idx] / units.weight[idx].sum()
    if level == 4:  # one continuing-education centre per district, extras in the largest
        districts = sorted({units.district_code[i] for i in idx} - {"576"})
        firsts = [next(i for i in idx if units.district_code[i] == d) for d in districts]
        return (firsts * n)[:n]
    base = list(idx) if level <= 1 else []  # every commune: a kindergarten, a primary school
    return base + list(rng.choice(idx, size=n - len(base), p=weight))


def counts_of(units: DemoUnits) -> dict[str, tuple[int, ...]]:
    """Schools by old province and level: the demo's, else from each old province's communes
    and districts."""
    if units.new_province_code == "56":
        return COUNTS
    out = {}
    for old in units.old_provinces:
        here = [i for i in range(units.n) if units.province_code[i] == old]
        districts = len({units.district_code[i] for i in here})
        out[old] = (*(max(1, round(k * len(here))) for k in PER_COMMUNE), districts)
    return out


def build_schools(seed: int, units: DemoUnits | None = None) -> list[School]:
    units = units or load_demo_units()
    rng = np.random.default_rng([seed, zlib.crc32(b"schools")])
    out: list[School] = []
    for region, counts in counts_of(units).items():
        for level, n in enumerate(counts):
            for serial, place in enumerate(_places(rng, units, region, level, n), start=1):
                commune = _bare(units.commune_name[place])
                private = rng.random() < PRIVATE_SHARE[level]
                if level == 0 and private:
                    name = f"Trường Mầm non tư thục {rng.choice(KINDERGARTEN_NAMES)}"
                elif level == 0:
                    name = f"Trường Mầm non {commune}" + (f" {serial % 3}" if serial % 3 else "")
                elif level == 1:
                    name = f"Trường Tiểu học {commune} {1 + serial % 3}"
                elif level in (2, 3):
                    name = f"Trường {LEVELS[level]} {rng.choice(PEOPLE)}"
                else:
                    district = units.district_name[place]
                    name = f"Trung tâm GDNN-GDTX {district.split(' ', 1)[1]}"
                urban = 1.35 if units.is_urban[place] else 0.8
                out.append(
                    School(
                        ma_truong=f"{region}{level + 1}{serial:05d}",
                        ten_truong=name,
                        cap_hoc=LEVELS[level],
                        loai_hinh="TU_THUC" if private else "CONG_LAP",
                        place=int(place),
                        first_year=FIRST_YEAR,
                        last_year=LAST_YEAR,
                        merged_into=None,
                        size=PUPILS[level] * urban * float(rng.lognormal(0, 0.3)),
                    )
                )
    return _lifecycle(rng, out)


def _lifecycle(rng: np.random.Generator, schools: list[School]) -> list[School]:
    """A dozen schools open late (mostly private kindergartens), eight close, five of them
    merging into a school of the same level and commune."""
    out = list(schools)
    late = rng.choice([i for i, s in enumerate(out) if s.cap_hoc in ("MN", "TH")], 12, False)
    for i in late:
        s = out[i]
        kind = "TU_THUC" if s.cap_hoc == "MN" else s.loai_hinh
        out[i] = School(
            **{**s.__dict__, "first_year": int(rng.integers(2022, 2026)), "loai_hinh": kind}
        )
    pairs = {}
    for i, s in enumerate(out):
        if s.cap_hoc in ("MN", "TH", "THCS") and s.first_year == FIRST_YEAR:
            pairs.setdefault((s.place, s.cap_hoc), []).append(i)
    groups = [g for g in pairs.values() if len(g) >= 2]
    chosen = rng.choice(len(groups), 8, replace=False)
    for k, g in enumerate(chosen):
        closing, keeping = groups[int(g)][:2]
        s = out[closing]
        merged = out[keeping].ma_truong if k < 5 else None
        last = int(rng.integers(2022, 2026))
        out[closing] = School(**{**s.__dict__, "last_year": last, "merged_into": merged})
    return out
