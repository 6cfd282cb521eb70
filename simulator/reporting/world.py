"""The simulated reporting world: every report of every indicator set and period, with its
life (versions and states over time) and its figures per version. Small enough (≈ 1,700
reports, ≈ 25,000 figures) to build whole, once per seed; the clock only decides what is
visible."""

from __future__ import annotations

import random
from collections import defaultdict
from dataclasses import dataclass, replace
from functools import cached_property

from simulator.admin_units import DemoUnits, load_demo_units
from simulator.clock import DEPT_MERGE_DATE
from simulator.provinces import population
from simulator.reporting.catalog import Indicator, IndicatorSet, indicator_sets, members
from simulator.reporting.lifecycle import Life, life
from simulator.reporting.periods import Period, periods
from simulator.reporting.values import Area, Figure, figure, split

OLD_SHARES = {"56": 0.675, "58": 0.325}  # old Khánh Hòa ≈ 1.25 M people, Ninh Thuận ≈ 0.6 M
NEW_PROVINCE = "56"
ESTIMATE_NOTE = "Số liệu ước tính"
CORRECTED_NOTE = "Đã sửa theo yêu cầu"
RESTATED_NOTE = "Điều chỉnh theo số liệu chính thức"


@dataclass(frozen=True)
class Report:
    key: int  # stable index (set, period, province order)
    code: str  # ma_bao_cao ("" if never sent)
    indicator_set: IndicatorSet
    unit: str  # ma_don_vi
    area: Area  # the province the report is for
    period: Period
    life: Life
    figures: tuple[tuple[Figure, ...], ...]  # per version (index 0 = phien_ban 1)

    @property
    def versions(self) -> int:
        return len(self.figures) if self.life.steps else 0

    def sent_at(self, version: int) -> int:
        return next(s.at for s in self.life.steps if s.version == version)


def unit_code(s: IndicatorSet, period: Period, province: str, units: DemoUnits) -> str:
    """The sending agency: its name before/after the 2025-03-01 merger (by due date), with
    its province's prefix (``DemoUnits.agency_prefix``: Ninh Thuận's ``NT_``, another
    province's ``T<code>_``)."""
    code = s.lead if period.due >= DEPT_MERGE_DATE else s.lead_before_merge
    return f"{units.agency_prefix(province)}{code}"


def provinces_reporting(units: DemoUnits, old: bool) -> dict[str, float]:
    """The provinces that report, with their share of the demo province's size: the old
    provinces before the reform (by the place weights), the new one after it. The demo's
    shares are its own (OLD_SHARES); another province's scale by its population."""
    new = units.new_province_code
    if new == NEW_PROVINCE:
        return OLD_SHARES if old else {NEW_PROVINCE: 1.0}
    size = population()[new] / population()[NEW_PROVINCE]
    if not old:
        return {new: size}
    codes = units.province_code
    return {
        p: size * float(sum(w for c, w in zip(codes, units.weight, strict=True) if c == p))
        for p in units.old_provinces
    }


def sub_areas(units: DemoUnits, area: Area, old: bool) -> list[Area]:
    """Districts of an old province, or communes of the new one, with their shares."""
    weights: dict[str, float] = defaultdict(float)
    for i in range(units.n):
        if old and units.province_code[i] == area.code:
            weights[units.district_code[i]] += float(units.weight[i])
        elif not old:
            weights[units.new_commune_code[i]] += float(units.weight[i])
    total = sum(weights.values())
    return [Area(code, area.share * w / total) for code, w in sorted(weights.items())]


class ReportingWorld:
    def __init__(self, seed: int = 56, units: DemoUnits | None = None) -> None:
        self.seed = seed
        self.units = units or load_demo_units()

    @cached_property
    def reports(self) -> tuple[Report, ...]:
        drafts = []
        for s in indicator_sets():
            inds = members(s.code)
            for period in periods(s.kind):
                provinces = provinces_reporting(self.units, period.old_units)
                for province, share in provinces.items():
                    unit = unit_code(s, period, province, self.units)
                    drafts.append((s, inds, period, Area(province, share), unit))
        reports = [
            self._report(key, s, inds, period, area, unit)
            for key, (s, inds, period, area, unit) in enumerate(drafts)
        ]
        return self._numbered(reports)

    @cached_property
    def api_reports(self) -> tuple[Report, ...]:
        return tuple(r for r in self.reports if r.indicator_set.channel == "API" and r.versions)

    @cached_property
    def file_reports(self) -> tuple[Report, ...]:
        return tuple(r for r in self.reports if r.indicator_set.channel == "EXCEL" and r.versions)

    def _numbered(self, reports: list[Report]) -> tuple[Report, ...]:
        """ma_bao_cao = BC-<year of the period>-<n>, numbered in order of first sending."""
        sent = sorted(
            (r for r in reports if r.life.steps),
            key=lambda r: (r.period.year, r.life.steps[0].at, r.key),
        )
        codes, counters = {}, defaultdict(int)
        for r in sent:
            counters[r.period.year] += 1
            codes[r.key] = f"BC-{r.period.year}-{counters[r.period.year]:06d}"
        return tuple(replace(r, code=codes.get(r.key, "")) for r in reports)

    def _report(
        self,
        key: int,
        s: IndicatorSet,
        inds: tuple[Indicator, ...],
        period: Period,
        area: Area,
        unit: str,
    ) -> Report:
        lf = life(self.seed, s.code, unit, period)
        true = self._figures(s, inds, period, area)
        versions: tuple[tuple[Figure, ...], ...] = (true,)
        rng = random.Random(f"{self.seed}|revise|{s.code}|{unit}|{period}")
        if lf.corrected:
            versions = (_spoiled(true, inds, rng), _noted(true, CORRECTED_NOTE, versions))
        elif lf.restated:
            versions = (true, _revised(true, inds, rng))
        return Report(key, "", s, unit, area, period, lf, versions)

    def _figures(
        self, s: IndicatorSet, inds: tuple[Indicator, ...], period: Period, area: Area
    ) -> tuple[Figure, ...]:
        out: list[Figure] = []
        rng = random.Random(f"{self.seed}|notes|{s.code}|{period}|{area.code}")
        for ind in inds:
            f = figure(ind, period, area, self.seed)
            if rng.random() < 0.04:
                f = replace(f, note=ESTIMATE_NOTE)
            out.append(f)
            if s.broken_down and ind.broken_down:
                subs = sub_areas(self.units, area, period.old_units)
                for sub, v in zip(subs, split(f.value, subs, ind, period, self.seed), strict=True):
                    out.append(Figure(ind.code, sub.code, v))
        return tuple(out)


def _candidates(figures: tuple[Figure, ...], inds: tuple[Indicator, ...]) -> list[int]:
    """Province rows of indicators that are neither ratios nor broken down by area."""
    simple = {i.code for i in inds if i.method != "TY_LE" and not i.broken_down}
    province = figures[0].area
    return [i for i, f in enumerate(figures) if f.code in simple and f.area == province]


def _spoiled(figures, inds, rng: random.Random) -> tuple[Figure, ...]:
    """Version 1 of a report sent back: one or two figures typed wrong (×10, ÷10, +30 %)."""
    out = list(figures)
    for i in rng.sample(_candidates(figures, inds), k=min(2, len(_candidates(figures, inds)))):
        factor = rng.choice((10.0, 0.1, 1.3))
        out[i] = replace(out[i], value=round(out[i].value * factor, 2))
    return tuple(out)


def _noted(true, note: str, versions) -> tuple[Figure, ...]:
    first = versions[0]
    return tuple(
        replace(t, note=note) if t.value != f.value else t for t, f in zip(true, first, strict=True)
    )


def _revised(figures, inds, rng: random.Random) -> tuple[Figure, ...]:
    """Version 2 of a restated report: a few figures revised by 1–4 %."""
    out = list(figures)
    chosen = _candidates(figures, inds)
    for i in rng.sample(chosen, k=min(3, len(chosen))):
        f = out[i]
        dec = 0 if float(f.value).is_integer() else 2
        revised = round(f.value * (1 + rng.choice((-1, 1)) * rng.uniform(0.01, 0.04)), dec)
        out[i] = replace(f, value=float(revised), note=RESTATED_NOTE)
    return tuple(out)
