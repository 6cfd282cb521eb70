"""The budget units that report: provinces (TINH), districts (HUYEN) and communes (XA).

Before 2025-07-01: old Khánh Hòa (56) and Ninh Thuận (58), each district, and a sample of
communes (the wards and communes of the two provincial cities, Nha Trang and Phan
Rang–Tháp Chàm). From 2025-07-01: new Khánh Hòa (56) and all its new communes; no HUYEN.
The new province's cumulative figures for 2025 include the old provinces' first half (the
merged treasury kept the books); a new commune's start on 2025-07-01. A unit's ``coef``
says which share of each territory's (old province's) component flows it reports: 1 for a
province, place-weight share x local fraction below it.

Any other province (multi-province mode): its old provinces are its territories, each with
its districts and the communes of its first district (GSO lists the provincial city first)
as the sample; its revenue a Ninh Thuận's per person (``annual_2022``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.admin_units import DemoUnits
from simulator.ngansach.catalog import ANNUAL_2022, COMPONENTS, LOCAL_FRACTION, TERRITORIES
from simulator.provinces import DEMO_PROVINCE, population

REFORM_MONTH = 42  # 2025-07, months counted from 2022-01
SAMPLE_DISTRICTS = ("568", "582")  # Nha Trang, Phan Rang–Tháp Chàm
# Another province's territory collects as much per person as Ninh Thuận (ANNUAL_2022's
# second row, for about 600 thousand people).
ORDINARY, ORDINARY_PEOPLE = 1, 600


@dataclass(frozen=True)
class BudgetUnit:
    code: str
    level: str  # TINH | HUYEN | XA
    first_month: int  # month index, inclusive
    last_month: int  # month index, inclusive
    counts_from: int  # month its cumulative figures start from (then from each 1 January)
    coef: np.ndarray  # (territory, component)


def _coef(territory: np.ndarray, fraction: np.ndarray) -> np.ndarray:
    """(territory,) shares x (9,) component fractions."""
    return np.outer(territory, fraction)


def territories(units: DemoUnits) -> tuple[str, ...]:
    """The old provinces whose books the new one's units report."""
    return TERRITORIES if units.new_province_code == DEMO_PROVINCE else units.old_provinces


def annual_2022(units: DemoUnits) -> np.ndarray:
    """Each territory's 2022 revenue by component (million VND): the demo's, else by people
    (the province's population shared out by the place weights)."""
    if units.new_province_code == DEMO_PROVINCE:
        return ANNUAL_2022
    people = population()[units.new_province_code]
    shares = [units.weight[np.array(units.province_code) == t].sum() for t in units.old_provinces]
    return np.array([ANNUAL_2022[ORDINARY] * people * s / ORDINARY_PEOPLE for s in shares])


def _sampled(units: DemoUnits) -> set[str]:
    """The districts whose communes report before the reform."""
    if units.new_province_code == DEMO_PROVINCE:
        return set(SAMPLE_DISTRICTS)
    return {
        min(d for p, d in zip(units.province_code, units.district_code, strict=True) if p == t)
        for t in units.old_provinces
    }


def budget_units(units: DemoUnits, months: int) -> list[BudgetUnit]:
    last_old, last = REFORM_MONTH - 1, months - 1
    owners = territories(units)
    n = len(owners)
    province = np.array([owners.index(p) for p in units.province_code])
    weight = units.weight
    total = np.bincount(province, weights=weight, minlength=n)
    ones = np.ones(len(COMPONENTS))
    out = [
        BudgetUnit(code, "TINH", 0, last_old, 0, _coef(np.eye(n)[t], ones))
        for t, code in enumerate(owners)
    ]
    districts = sorted(set(zip(units.province_code, units.district_code, strict=True)))
    for prov, district in districts:
        t = owners.index(prov)
        mask = np.array(units.district_code) == district
        share = np.eye(n)[t] * weight[mask].sum() / total[t]
        out.append(
            BudgetUnit(district, "HUYEN", 0, last_old, 0, _coef(share, LOCAL_FRACTION["HUYEN"]))
        )
    sampled = _sampled(units)
    for i, code in enumerate(units.commune_code):
        if units.district_code[i] in sampled:
            share = np.eye(n)[province[i]] * weight[i] / total[province[i]]
            out.append(
                BudgetUnit(code, "XA", 0, last_old, 0, _coef(share, LOCAL_FRACTION["XA_OLD"]))
            )
    new = units.new_province_code
    out.append(BudgetUnit(new, "TINH", REFORM_MONTH, last, 0, _coef(np.ones(n), ones)))
    new_codes = np.array(units.new_commune_code)
    for code in sorted(set(units.new_commune_code)):
        mask = new_codes == code
        share = np.bincount(province[mask], weights=weight[mask], minlength=n) / total
        out.append(
            BudgetUnit(
                code, "XA", REFORM_MONTH, last, REFORM_MONTH, _coef(share, LOCAL_FRACTION["XA_NEW"])
            )
        )
    return out
