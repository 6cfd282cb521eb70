"""The simulated tourism statistics: one set of monthly figures per region, spread over areas.

Every month is generated alone from its own random stream (seed, month), so any month is
the same whatever was asked before. A month has two versions: the official figures
(``CHINH_THUC``) and the estimate (``UOC_TINH``) published first, which differs from them by
a few per cent. Both are internally consistent (``tong = quoc_te + noi_dia``, overnight
guests <= visitors, guest nights >= overnight guests, occupancy 40–80 %).
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np

from simulator.admin_units import load_demo_units
from simulator.clock import DAY, REFORM_DATE, day_number, iso_strings
from simulator.dulich.units import NEW_PROVINCE, REGIONS, REST, Area, Region, regions_of
from simulator.holidays import TET
from simulator.provinces import population

ESTIMATE, OFFICIAL = "UOC_TINH", "CHINH_THUC"
FIRST_MONTH, LAST_MONTH = (2022, 1), (2026, 10)

# Visitors a year (millions) and the international share, by year (mid-year levels).
YEARS = np.array([2022.5, 2023.5, 2024.5, 2025.5, 2026.5])
VISITORS = {"56": [6.0, 8.8, 10.4, 10.9, 11.4], "58": [2.5, 3.0, 3.4, 3.6, 3.8]}
INTL_SHARE = {"56": [0.20, 0.29, 0.35, 0.37, 0.38], "58": [0.02, 0.04, 0.05, 0.06, 0.065]}
ESTABLISHMENTS = {"56": [1050, 1150, 1240, 1300, 1360], "58": [380, 410, 440, 460, 480]}
# Another province's region is a Ninh Thuận (an ordinary tourism province) of its size.
ORDINARY, ORDINARY_PEOPLE = "58", 600  # thousands, approximate
# Monthly shape (mean 1): domestic peaks in summer, international in the winter (Chinese,
# Korean flows) and around Tết.
DOMESTIC_SEASON = np.array([0.80, 0.95, 0.80, 0.95, 1.05, 1.35, 1.45, 1.30, 0.85, 0.70, 0.65, 0.75])
INTL_SEASON = np.array([1.30, 1.22, 1.15, 1.00, 0.85, 0.82, 0.92, 0.92, 0.78, 0.82, 0.97, 1.25])
# 2022: international arrivals restart (visa-free again from mid-March 2022).
INTL_RAMP_2022 = np.array([0.01, 0.02, 0.08, 0.2, 0.35, 0.5, 0.65, 0.75, 0.85, 0.95, 1.1, 1.25])
DOMESTIC_2022 = np.array([0.75, 0.8, 0.8, 0.95, 1.0, 1.05, 1.05, 1.05, 1.0, 1.0, 1.0, 1.0])
NIGHTS = (3.4, 2.0)  # nights per overnight guest: international, domestic
SPEND = (7.2e6, 2.2e6)  # VND spent per visitor in 2024: international, domestic


@dataclass(frozen=True)
class RegionMonth:
    intl: float
    dom: float
    stay: float  # overnight share
    nights: float  # nights per overnight guest
    spend: float  # VND per visitor
    beds: int  # accommodation establishments
    occupancy: float  # room occupancy, %


def months() -> list[tuple[int, int]]:
    out, (y, m) = [], FIRST_MONTH
    while (y, m) <= LAST_MONTH:
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


def _rng(seed: int, stream: str, year: int, month: int) -> np.random.Generator:
    return np.random.default_rng([seed, zlib.crc32(stream.encode()), year, month])


def _level(values: list[float], year: int, month: int) -> float:
    return float(np.interp(year + (month - 0.5) / 12, YEARS, values))


def _tet_month(year: int) -> int:
    return next(d.month for d in TET if d.year == year)


class TourismWorld:
    """The tourism figures of a province, by default the demo's (not scaled: a province has
    what it has; another province's by its people, ``levels``)."""

    def __init__(self, seed: int = 56, province: str = NEW_PROVINCE) -> None:
        self.seed = seed
        self.province = province
        self.regions = (
            REGIONS if province == NEW_PROVINCE else regions_of(load_demo_units(province=province))
        )
        self.rows = lru_cache(maxsize=256)(self._rows)

    def levels(self, region: Region) -> tuple[list[float], list[float], list[float]]:
        """A region's yearly visitors (millions), international share and establishments."""
        if region.code in VISITORS and self.province == NEW_PROVINCE:
            code = region.code
            return VISITORS[code], INTL_SHARE[code], ESTABLISHMENTS[code]
        size = population()[self.province] * region.share / ORDINARY_PEOPLE
        visitors = [v * size for v in VISITORS[ORDINARY]]
        return visitors, INTL_SHARE[ORDINARY], [b * size for b in ESTABLISHMENTS[ORDINARY]]

    # -- publication ---------------------------------------------------------------------
    def published(self, year: int, month: int) -> tuple[int, int]:
        """Local seconds the estimate and the official figures of a month are published."""
        rng = _rng(self.seed, "publication", year, month)
        first = day_number(date(year, month, 1))
        estimate = first + 25 + int(rng.integers(0, 10))  # month's end .. early next month
        lag = int(rng.integers(1, 3))  # official: one or two months later
        ny, nm = divmod(year * 12 + month - 1 + lag, 12)
        official = day_number(date(ny, nm + 1, 1)) + int(rng.integers(9, 25))
        hours = rng.integers(8 * 3600, 17 * 3600, size=2)
        return estimate * DAY + int(hours[0]), official * DAY + int(hours[1])

    def version(self, year: int, month: int, as_of_sec: int) -> str | None:
        """Which version of a month is published at ``as_of_sec`` (None: nothing yet)."""
        if not FIRST_MONTH <= (year, month) <= LAST_MONTH:
            return None
        estimate, official = self.published(year, month)
        if as_of_sec >= official:
            return OFFICIAL
        return ESTIMATE if as_of_sec >= estimate else None

    def served(self, year: int, month: int, as_of_sec: int) -> list[dict]:
        """Exactly what ``thong-ke-thang?nam=&thang=`` lists at ``as_of_sec`` (no faults)."""
        kind = self.version(year, month, as_of_sec)
        return [] if kind is None else list(self.rows(year, month, kind))

    # -- figures -------------------------------------------------------------------------
    def region_month(self, region: Region, year: int, month: int, kind: str) -> RegionMonth:
        rng = _rng(self.seed, f"region-{region.code}", year, month)
        code, i = region.code, month - 1
        visitors, intl_share, establishments = self.levels(region)
        total = _level(visitors, year, month) * 1e6 / 12
        share = _level(intl_share, year, month)
        dom = total * (1 - share) * DOMESTIC_SEASON[i] * (1.18 if _tet_month(year) == month else 1)
        intl = total * share * INTL_SEASON[i]
        if year == 2022:
            dom, intl = dom * DOMESTIC_2022[i], intl * INTL_RAMP_2022[i]
        noise = np.exp(rng.normal(0, 0.04, size=2))
        dom, intl = dom * noise[0], intl * noise[1]
        stay = (0.72 if code == NEW_PROVINCE else 0.60) * float(np.exp(rng.normal(0, 0.02)))
        nights = (
            (intl * NIGHTS[0] + dom * NIGHTS[1]) / (intl + dom) * float(rng.uniform(0.95, 1.05))
        )
        spend = (intl * SPEND[0] + dom * SPEND[1]) / (intl + dom) * 1.04 ** (year - 2024)
        demand = (intl + dom) / total
        occupancy = 60 + 16 * (demand - 1) - (8 if (year, month) < (2022, 7) else 0)
        occupancy += float(rng.normal(0, 1.5))
        beds = round(_level(establishments, year, month) + float(rng.normal(0, 3)))
        if kind == ESTIMATE:
            e = _rng(self.seed, f"estimate-{region.code}", year, month)
            err = np.exp(np.clip(e.normal(0, 0.025, size=4), -0.05, 0.05))
            dom, intl, stay, spend = dom * err[0], intl * err[1], stay * err[2], spend * err[3]
            occupancy += float(e.normal(0, 1.2))
            beds -= int(e.integers(0, 4))  # newly licensed places are counted later
        return RegionMonth(
            intl, dom, stay, nights, spend * float(rng.uniform(0.97, 1.03)), beds, occupancy
        )

    def _rows(self, year: int, month: int, kind: str) -> tuple[dict, ...]:
        after = date(year, month, 1) >= REFORM_DATE
        est, off = self.published(year, month)
        stamp = iso_strings(np.array([est if kind == ESTIMATE else off], dtype=np.int64))[0]
        ky = f"{year}-{month:02d}"
        out: list[dict] = []
        if after:
            parts = [
                _areas(
                    self.region_month(r, year, month, kind),
                    r.communes,
                    self._jitter(r, year, month),
                )
                for r in self.regions
            ]
            areas = [a for p in parts for a in p]
            listed = sorted((a for a in areas if a["ma_dvhc"] != REST), key=lambda a: a["ma_dvhc"])
            out = [_province(self.province, areas), *listed]
        else:
            for r in self.regions:
                areas = _areas(
                    self.region_month(r, year, month, kind),
                    r.districts,
                    self._jitter(r, year, month),
                )
                out += [_province(r.code, areas), *sorted(areas, key=lambda a: a["ma_dvhc"])]
        return tuple(
            {
                "ky": ky,
                "ma_dvhc": row["ma_dvhc"],
                "loai_so_lieu": kind,
                **row,
                "ngay_cong_bo": stamp,
            }
            for row in out
        )

    def _jitter(self, region: Region, year: int, month: int) -> np.random.Generator:
        """Month-to-month wobble of the areas' shares (the same in estimate and official)."""
        return _rng(self.seed, f"areas-{region.code}", year, month)


def _allocate(total: int, shares: np.ndarray) -> np.ndarray:
    """Split an integer total by shares, exactly (largest remainder)."""
    raw = total * shares / shares.sum()
    out = np.floor(raw).astype(np.int64)
    out[np.argsort(out - raw)[: total - int(out.sum())]] += 1
    return out


def _areas(rm: RegionMonth, areas: tuple[Area, ...], rng: np.random.Generator) -> list[dict]:
    wobble = np.exp(rng.normal(0, 0.03, size=(3, len(areas))))
    intl = _allocate(round(rm.intl), np.array([a.intl for a in areas]) * wobble[0])
    dom = _allocate(round(rm.dom), np.array([a.dom for a in areas]) * wobble[1])
    beds = _allocate(rm.beds, np.array([a.beds for a in areas]))
    rows = []
    for i, a in enumerate(areas):
        tong = int(intl[i] + dom[i])
        stay = min(tong, round(tong * min(0.95, a.stay * rm.stay / 0.7 * wobble[2][i])))
        nights = max(stay, round(stay * rm.nights * float(rng.uniform(0.93, 1.07))))
        revenue = (intl[i] * rm.spend * 1.8 + dom[i] * rm.spend * 0.8) / 1e9
        occupancy = min(80.0, max(40.0, rm.occupancy + a.occupancy + float(rng.normal(0, 1.0))))
        rows.append(
            {
                "ma_dvhc": a.code,
                "tong_luot_khach": tong,
                "khach_quoc_te": int(intl[i]),
                "khach_noi_dia": int(dom[i]),
                "khach_luu_tru": int(stay),
                "ngay_khach_luu_tru": int(nights),
                "doanh_thu_ty_dong": round(float(revenue), 1),
                "cong_suat_phong_pct": round(float(occupancy), 1),
                "so_co_so_luu_tru": int(beds[i]),
            }
        )
    return rows


def _province(code: str, areas: list[dict]) -> dict:
    """The province row: the sum of its areas (occupancy weighted by establishments)."""
    total = {
        f: sum(a[f] for a in areas)
        for f in (
            "tong_luot_khach",
            "khach_quoc_te",
            "khach_noi_dia",
            "khach_luu_tru",
            "ngay_khach_luu_tru",
            "so_co_so_luu_tru",
        )
    }
    beds = max(total["so_co_so_luu_tru"], 1)
    occupancy = sum(a["cong_suat_phong_pct"] * a["so_co_so_luu_tru"] for a in areas) / beds
    return {
        "ma_dvhc": code,
        "tong_luot_khach": total["tong_luot_khach"],
        "khach_quoc_te": total["khach_quoc_te"],
        "khach_noi_dia": total["khach_noi_dia"],
        "khach_luu_tru": total["khach_luu_tru"],
        "ngay_khach_luu_tru": total["ngay_khach_luu_tru"],
        "doanh_thu_ty_dong": round(float(sum(a["doanh_thu_ty_dong"] for a in areas)), 1),
        "cong_suat_phong_pct": round(float(occupancy), 1),
        "so_co_so_luu_tru": total["so_co_so_luu_tru"],
    }
