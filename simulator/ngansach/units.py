"""The budget units that report: provinces (TINH), districts (HUYEN) and communes (XA).

Before 2025-07-01: old Khánh Hòa (56) and Ninh Thuận (58), each district, and a sample of
communes (the wards and communes of the two provincial cities, Nha Trang and Phan
Rang–Tháp Chàm). From 2025-07-01: new Khánh Hòa (56) and all its new communes; no HUYEN.
The new province's cumulative figures for 2025 include the old provinces' first half (the
merged treasury kept the books); a new commune's start on 2025-07-01. A unit's ``coef``
says which share of each territory's (old province's) component flows it reports: 1 for a
province, place-weight share x local fraction below it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.admin_units import DemoUnits
from simulator.ngansach.catalog import COMPONENTS, LOCAL_FRACTION, TERRITORIES

REFORM_MONTH = 42  # 2025-07, months counted from 2022-01
SAMPLE_DISTRICTS = ("568", "582")  # Nha Trang, Phan Rang–Tháp Chàm


@dataclass(frozen=True)
class BudgetUnit:
    code: str
    level: str  # TINH | HUYEN | XA
    first_month: int  # month index, inclusive
    last_month: int  # month index, inclusive
    counts_from: int  # month its cumulative figures start from (then from each 1 January)
    coef: np.ndarray  # (territory, component)


def _coef(territory: np.ndarray, fraction: np.ndarray) -> np.ndarray:
    """(2,) territory shares x (9,) component fractions."""
    return np.outer(territory, fraction)


def budget_units(units: DemoUnits, months: int) -> list[BudgetUnit]:
    last_old, last = REFORM_MONTH - 1, months - 1
    province = np.array([TERRITORIES.index(p) for p in units.province_code])
    weight = units.weight
    total = np.bincount(province, weights=weight, minlength=2)
    ones = np.ones(len(COMPONENTS))
    out = [
        BudgetUnit(code, "TINH", 0, last_old, 0, _coef(np.eye(2)[t], ones))
        for t, code in enumerate(TERRITORIES)
    ]
    districts = sorted(set(zip(units.province_code, units.district_code, strict=True)))
    for prov, district in districts:
        t = TERRITORIES.index(prov)
        mask = np.array(units.district_code) == district
        share = np.eye(2)[t] * weight[mask].sum() / total[t]
        out.append(
            BudgetUnit(district, "HUYEN", 0, last_old, 0, _coef(share, LOCAL_FRACTION["HUYEN"]))
        )
    for i, code in enumerate(units.commune_code):
        if units.district_code[i] in SAMPLE_DISTRICTS:
            share = np.eye(2)[province[i]] * weight[i] / total[province[i]]
            out.append(
                BudgetUnit(code, "XA", 0, last_old, 0, _coef(share, LOCAL_FRACTION["XA_OLD"]))
            )
    out.append(BudgetUnit("56", "TINH", REFORM_MONTH, last, 0, _coef(np.ones(2), ones)))
    new_codes = np.array(units.new_commune_code)
    for code in sorted(set(units.new_commune_code)):
        mask = new_codes == code
        share = np.bincount(province[mask], weights=weight[mask], minlength=2) / total
        out.append(
            BudgetUnit(
                code, "XA", REFORM_MONTH, last, REFORM_MONTH, _coef(share, LOCAL_FRACTION["XA_NEW"])
            )
        )
    return out
