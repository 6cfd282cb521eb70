"""The value model: what an indicator's figure is for a period and an area.

A figure is trend × season × noise: ``base × (1 + growth) ** years`` (base = the whole new
province in 2022, per period), a monthly seasonal profile for flows (TONG), and log-normal
noise drawn from (seed, indicator, period, area). Additive indicators are split between
areas by their share (old Khánh Hòa ≈ 2/3, Ninh Thuận ≈ 1/3 of the new province; districts
and communes by the population proxy of ``simulator.admin_units``); rates and scores keep
their level with a fixed per-area offset. Ratios (TY_LE) are drawn as a denominator and a
rate, and sent as numerator/denominator with the rate rounded from them.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from functools import lru_cache

from simulator.reporting.catalog import Indicator
from simulator.reporting.periods import Period

_RAW = {
    "PHANG": [1.0] * 12,
    "TET": [0.85, 0.75, 1.0, 1.02, 1.03, 1.03, 1.04, 1.04, 1.03, 1.04, 1.05, 1.12],
    "HE": [0.85, 0.95, 0.95, 0.95, 1.05, 1.2, 1.25, 1.2, 0.95, 0.85, 0.85, 0.95],
    "CUOI_NAM": [0.3, 0.4, 0.6, 0.7, 0.8, 0.9, 0.9, 1.0, 1.1, 1.2, 1.4, 2.7],
    "MUA_MUA": [0.6, 0.4, 0.4, 0.4, 0.6, 0.9, 1.2, 1.5, 1.6, 1.7, 1.5, 1.0],
}
PROFILES = {k: [x * 12 / sum(v) for x in v] for k, v in _RAW.items()}
# Year-to-date share of an end-of-year cumulative rate (disbursement rates), by month.
_RAMP = [sum(PROFILES["CUOI_NAM"][: m + 1]) / 12 for m in range(12)]
RANK_MAX = 63  # provinces ranked (ranks stay within 1..63)


@dataclass(frozen=True)
class Area:
    code: str  # GSO code (province, district or commune)
    share: float  # of the whole new province


@dataclass(frozen=True)
class Figure:
    """One row of a report: the values the reporting unit states for an indicator and area."""

    code: str  # ma_chi_tieu
    area: str  # ma_dvhc
    value: float  # thuc_hien (the period's own value, not cumulative)
    plan: float | None = None  # ke_hoach: the annual plan, on flow (TONG) rows
    numerator: float | None = None  # tu_so (TY_LE)
    denominator: float | None = None  # mau_so (TY_LE)
    note: str = ""


def _gauss(seed: int, *parts: object) -> float:
    return random.Random("|".join(map(str, (seed, *parts)))).gauss(0.0, 1.0)


def _round(value: float, decimals: int) -> float:
    return float(round(value, decimals)) if decimals else float(round(value))


def season_factor(ind: Indicator, period: Period) -> float:
    if ind.method != "TONG" or period.kind == "NAM":
        return 1.0
    profile = PROFILES.get(ind.season, PROFILES["PHANG"])
    return sum(profile[m - 1] for m in period.months) / len(period.months)


def trend(ind: Indicator, period: Period) -> float:
    level = ind.base * (1.0 + ind.growth) ** period.mid_years * season_factor(ind, period)
    if ind.season == "LUY_KE":
        level *= _RAMP[period.last_month - 1]
    return level


@lru_cache(maxsize=200_000)
def value(ind: Indicator, period: Period, area: Area, seed: int) -> float:
    """thuc_hien of ``ind`` for ``period`` in ``area`` (true, rounded as reported)."""
    if ind.method == "TY_LE":
        return ratio(ind, period, area, seed)[2]
    z = _gauss(seed, "noise", ind.code, period, area.code)
    v = trend(ind, period) * math.exp(ind.noise * z - ind.noise**2 / 2)
    if ind.additive:
        v *= area.share
    elif area.share < 1.0:
        v *= 1.0 + 0.04 * _gauss(seed, "area", ind.code, area.code)
    if ind.unit == "%":
        v = min(v, 99.9 if ind.season != "LUY_KE" else 100.0)
    if ind.unit == "hạng":
        return float(min(max(round(v), 1), RANK_MAX))
    return _round(max(v, 0.0), ind.decimals)


def _denominator_decimals(ind: Indicator) -> int:
    """Money denominators (GRDP, tỷ đồng) keep one decimal; counts are whole."""
    return 1 if ind.code.startswith(("GRDP_", "DTI_")) else 0


@lru_cache(maxsize=50_000)
def ratio(ind: Indicator, period: Period, area: Area, seed: int) -> tuple[float, float, float]:
    """(tu_so, mau_so, thuc_hien %) of a TY_LE indicator."""
    assert ind.denominator_base is not None
    d = _denominator_decimals(ind)
    zd = _gauss(seed, "denominator", ind.code, period, area.code)
    den = ind.denominator_base * 1.02**period.mid_years * area.share * math.exp(0.02 * zd)
    den = max(_round(den, d), 1.0)
    z = _gauss(seed, "noise", ind.code, period, area.code)
    rate = ind.base * (1.0 + ind.growth) ** period.mid_years * math.exp(ind.noise * z)
    if area.share < 1.0:
        rate *= 1.0 + 0.04 * _gauss(seed, "area", ind.code, area.code)
    rate = min(rate, 99.9)
    num = _round(den * rate / 100.0, d)
    return num, den, round(100.0 * num / den, 2)


def plan(ind: Indicator, period: Period, area: Area) -> float | None:
    """ke_hoach: the annual plan of a flow indicator (what the year was expected to bring)."""
    if ind.method != "TONG" or ind.plan_factor is None:
        return None
    per_year = {"THANG": 12, "QUY": 4}.get(ind.kind, 1)
    yearly = ind.base * (1.0 + ind.growth) ** (period.year - 2022 + 0.5) * per_year
    return _round(yearly * ind.plan_factor * (area.share if ind.additive else 1.0), ind.decimals)


def figure(ind: Indicator, period: Period, area: Area, seed: int) -> Figure:
    if ind.method == "TY_LE":
        num, den, rate = ratio(ind, period, area, seed)
        return Figure(ind.code, area.code, rate, None, num, den)
    return Figure(ind.code, area.code, value(ind, period, area, seed), plan(ind, period, area))


def split(total: float, areas: list[Area], ind: Indicator, period: Period, seed: int) -> list:
    """A whole-number province total split over sub-areas (largest remainder: sums exactly)."""
    weights = [
        a.share * math.exp(0.15 * _gauss(seed, "split", ind.code, period, a.code)) for a in areas
    ]
    raw = [total * w / sum(weights) for w in weights]
    out = [math.floor(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: raw[i] - out[i], reverse=True)
    for i in order[: round(total - sum(out))]:
        out[i] += 1
    return [float(x) for x in out]


def year_to_date(ind: Indicator, period: Period, area: Area, seed: int) -> float | None:
    """Lũy kế từ đầu năm: flows summed over the year so far; stocks their current level."""
    if ind.method == "TONG":
        total = sum(value(ind, p, area, seed) for p in [*period.same_year_before(), period])
        return _round(total, ind.decimals)
    if ind.method == "CUOI_KY":
        return value(ind, period, area, seed)
    return None


def year_on_year(
    ind: Indicator, period: Period, area: Area, seed: int, current: float | None = None
) -> float | None:
    """So cùng kỳ (%): this period (``current`` if given) against a year earlier."""
    if ind.method not in ("TONG", "CUOI_KY"):
        return None
    before = value(ind, period.previous_year(), area, seed)
    if before <= 0:
        return None
    now = value(ind, period, area, seed) if current is None else current
    return round(100.0 * now / before, 1)
