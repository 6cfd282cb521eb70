"""BudgetWorld: every unit's true and first-reported figures, 2022-01 .. 2026-10.

Small enough to build whole at start (≈ 60 units x 9 components x 58 months), from one
random stream of the seed, so the world is the same whatever is asked first.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import numpy as np

from simulator.admin_units import DemoUnits, load_demo_units
from simulator.clock import DAY, day_number
from simulator.hashing import stream_id
from simulator.holidays import TET
from simulator.ngansach.catalog import (
    COMPONENTS,
    DAT,
    DOMESTIC,
    GROWTH,
    MAKEUP,
    REFUNDABLE,
    SEASON,
    TET_DIP,
    VIEN_TRO,
)
from simulator.ngansach.units import BudgetUnit, annual_2022, budget_units

FIRST_YEAR = 2022
MONTHS = 58  # 2022-01 .. 2026-10
YEARS = len(GROWTH)


def month_label(m: int) -> str:
    return f"{FIRST_YEAR + m // 12}-{m % 12 + 1:02d}"


@dataclass(frozen=True)
class Figures:
    """Per unit, group and month: cumulative and estimate (million VND, 2 decimals)."""

    cumulative: np.ndarray  # (unit, group, month): the true (final) figure
    preliminary: np.ndarray  # (unit, group, month): as first reported
    estimate: np.ndarray  # (unit, group, month)


class BudgetWorld:
    def __init__(self, seed: int = 56, units: DemoUnits | None = None) -> None:
        self.seed = int(seed)
        units = units or load_demo_units()
        self.units: list[BudgetUnit] = budget_units(units, MONTHS)
        rng = np.random.default_rng([self.seed, stream_id("ngansach")])
        flows, annual = _territory_flows(rng, annual_2022(units))
        estimates = _territory_estimates(rng, annual)
        self.timeline = _timeline(rng)
        self.restated = self._restated(rng)
        self.figures = self._figures(rng, flows, estimates)

    def active(self, m: int) -> list[int]:
        return [i for i, u in enumerate(self.units) if u.first_month <= m <= u.last_month]

    def _restated(self, rng: np.random.Generator) -> np.ndarray:
        """(unit, month): first reported low, corrected later (fate 1 or 2 months only)."""
        first = np.array([u.first_month for u in self.units])
        last = np.array([u.last_month for u in self.units])
        months = np.arange(MONTHS)
        active = (months >= first[:, None]) & (months <= last[:, None])
        picked = rng.random((len(self.units), MONTHS)) < 0.15
        return active & picked & (self.timeline.fate > 0)[None, :]

    def _figures(self, rng, flows: np.ndarray, estimates: np.ndarray) -> Figures:
        n = len(self.units)
        coef = np.stack([u.coef for u in self.units])  # (unit, territory, component)
        noise = np.exp(rng.normal(0.0, 0.12, (n, len(COMPONENTS), MONTHS)))
        noise[[u.level == "TINH" for u in self.units]] = 1.0
        pos, neg = np.maximum(flows, 0), np.minimum(flows, 0)
        unit_flow = np.einsum("utc,tcm->ucm", coef, pos) * noise
        unit_flow += np.einsum("utc,tcm->ucm", coef, neg)
        first = np.array([u.first_month for u in self.units])
        start = np.array([u.counts_from for u in self.units])
        months = np.arange(MONTHS)
        active = (months >= first[:, None]) & (
            months <= np.array([u.last_month for u in self.units])[:, None]
        )
        unit_flow *= (months >= start[:, None])[:, None, :]
        cum = np.zeros_like(unit_flow)
        for m in months:
            restart = (m % 12 == 0) | (start == m)
            prev = cum[:, :, m - 1] if m else 0.0
            cum[:, :, m] = np.where(restart[:, None], 0.0, prev) + unit_flow[:, :, m]
        # Late receipts: a restated month was first reported 1–5 % of its domestic flow low.
        late = rng.uniform(0.01, 0.05, unit_flow.shape) * np.maximum(unit_flow, 0)
        late[:, DOMESTIC:, :] = 0.0
        prelim = cum - late * self.restated[:, None, :]
        est = np.einsum("utc,tcm->ucm", coef, estimates)
        # A commune created on 2025-07-01 budgets for the half year it exists.
        est[:, :, 42:48] *= np.where(start == 42, 0.5, 1.0)[:, None, None]

        def groups(a: np.ndarray) -> np.ndarray:
            return np.round(np.einsum("gc,ucm->ugm", MAKEUP, a), 2) * active[:, None, :]

        return Figures(groups(cum), groups(prelim), groups(est))


def _season(year: int) -> np.ndarray:
    w = SEASON.copy()
    tet = TET[year - FIRST_YEAR]
    w[tet.month - 1] *= TET_DIP
    return w / w.sum()


def _territory_flows(rng: np.random.Generator, base: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Monthly flows (territory, component, month) from 2022's (``base``, territory x
    component) and the full-year totals (t, c, year)."""
    t, c = base.shape
    flows = np.zeros((t, c, YEARS * 12))
    for y in range(YEARS):
        annual = base * GROWTH[y] * np.exp(rng.normal(0, 0.05, (t, c)))
        shape = _season(FIRST_YEAR + y) * np.exp(rng.normal(0, 0.08, (t, c, 12)))
        # Land-use fees and grants come in lumps: auctions, disbursements.
        for k in (DAT, VIEN_TRO):
            lumps = (rng.random((t, 12)) < 0.3) * rng.uniform(0.5, 3.0, (t, 12)) / 12
            shape[:, k] = 0.45 * _season(FIRST_YEAR + y) + lumps
        shape /= shape.sum(axis=2, keepdims=True)
        block = annual[:, :, None] * shape
        for k in REFUNDABLE:  # rare VAT refunds: a negative month, never before March
            refund = (rng.random((t, 12)) < 0.02) & (np.arange(12) >= 2)
            size = rng.uniform(0.2, 0.6, (t, 12)) * annual[:, k, None] / 12
            block[:, k] = np.where(refund, -size, block[:, k])
        flows[:, :, y * 12 : (y + 1) * 12] = block
    totals = flows.reshape(t, c, YEARS, 12).sum(axis=3)
    return flows[:, :, :MONTHS], totals


def _territory_estimates(rng: np.random.Generator, annual: np.ndarray) -> np.ndarray:
    """The annual estimate in force each month (territory, component, month): a bit below
    what is then collected, revised upwards mid-year in some years."""
    t, c, _ = annual.shape
    est = np.zeros((t, c, YEARS * 12))
    for y in range(YEARS):
        base = annual[:, :, y] * rng.uniform(0.86, 0.97, (t, 1))
        revised = rng.random(t) < 0.35
        from_month = rng.integers(5, 8, t)  # June .. August
        factor = rng.uniform(1.04, 1.12, t)
        for k in range(12):
            bump = np.where(revised & (k >= from_month), factor, 1.0)
            est[:, :, y * 12 + k] = base * bump[:, None]
    return est[:, :, :MONTHS]


@dataclass(frozen=True)
class Timeline:
    published: np.ndarray  # (month,) local seconds: first export of the month's file
    fate: np.ndarray  # (month,) 0 clean, 1 corrected in next month's file, 2 re-exported
    reexported: np.ndarray  # (month,) local seconds of the re-export (fate 2), else -1


def _timeline(rng: np.random.Generator) -> Timeline:
    published = np.zeros(MONTHS, dtype=np.int64)
    for m in range(MONTHS):
        y, mo = divmod(m + 1, 12)
        d = date(FIRST_YEAR + y, mo + 1, int(rng.integers(5, 11)))
        while d.weekday() >= 5:
            d += timedelta(days=1)
        published[m] = day_number(d) * DAY + int(rng.integers(8 * 3600, 17 * 3600))
    u = rng.random(MONTHS)
    same_year_next = (np.arange(MONTHS) % 12) < 11
    fate = np.where(u < 0.08, 2, np.where((u < 0.25) & same_year_next, 1, 0))
    later = published + rng.integers(2, 11, MONTHS) * DAY
    weekday = (later // DAY + 3) % 7  # 1970-01-01 was a Thursday (3)
    later += np.where(weekday >= 5, 7 - weekday, 0) * DAY  # a weekend moves to Monday
    return Timeline(published, fate, np.where(fate == 2, later, -1))
