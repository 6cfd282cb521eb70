"""Static lookup tables of the dossier world: procedure arrays, admin-unit and agency codes.

Records carry small integer indices into these tables; strings are looked up only when a
page is serialised.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.admin_units import DemoUnits
from simulator.clock import DEPT_MERGE_DATE, REFORM_DATE
from simulator.dichvucong.catalog import (
    DEPARTMENTS,
    DEPT_ON_TIME,
    DEPT_SUCCESSOR,
    FIELDS,
    ONLINE_AFFINITY,
    PROCEDURES,
    RISK,
    SEASONS,
)
from simulator.hashing import uniform

LEVELS = ("TINH", "HUYEN", "XA")
CHANNELS = ("TRUC_TIEP", "TRUC_TUYEN", "BUU_CHINH")
STATES = ("DANG_XU_LY", "BO_SUNG", "DA_TRA_KET_QUA", "TU_CHOI", "RUT_HO_SO")
TINH, HUYEN, XA = 0, 1, 2


@dataclass(frozen=True)
class Agency:
    code: str
    name: str
    level: str
    unit_code: str
    valid_from: str | None  # ISO date, inclusive
    valid_to: str | None  # ISO date, exclusive


@dataclass(frozen=True)
class ProcTables:
    code: np.ndarray  # object arrays of strings, one entry per procedure
    name: np.ndarray
    field_code: np.ndarray
    field_name: np.ndarray
    mode: np.ndarray
    level: np.ndarray  # int8 index into LEVELS
    sla: np.ndarray
    fee_min: np.ndarray
    fee_max: np.ndarray
    p_supplement: np.ndarray
    p_reject: np.ndarray
    p_withdraw: np.ndarray
    late_mean: np.ndarray
    online_aff: np.ndarray
    on_time_adj: np.ndarray
    month_weight: np.ndarray  # (12, n_proc), rows sum to 1
    month_weight_off: np.ndarray  # the same for days off (no KHAC procedures)


def proc_tables() -> ProcTables:
    procs = PROCEDURES
    share = np.array([p.share for p in procs])
    season = np.array([SEASONS[p.season] if p.season else (1.0,) * 12 for p in procs]).T
    weight = share[None, :] * season
    aff = np.array([ONLINE_AFFINITY[p.mode] * p.online for p in procs])
    off = weight * (aff > 0)
    risk = np.array([RISK[p.risk] for p in procs])
    return ProcTables(
        code=np.array([p.code for p in procs], dtype=object),
        name=np.array([p.name for p in procs], dtype=object),
        field_code=np.array([p.field for p in procs], dtype=object),
        field_name=np.array([FIELDS[p.field] for p in procs], dtype=object),
        mode=np.array([p.mode for p in procs], dtype=object),
        level=np.array([LEVELS.index(p.level) for p in procs], dtype=np.int8),
        sla=np.array([p.sla for p in procs], dtype=np.int64),
        fee_min=np.array([p.fee[0] for p in procs], dtype=np.int64),
        fee_max=np.array([p.fee[1] for p in procs], dtype=np.int64),
        p_supplement=risk[:, 0],
        p_reject=risk[:, 1],
        p_withdraw=risk[:, 2],
        late_mean=risk[:, 3],
        online_aff=aff / np.average(aff, weights=share),
        on_time_adj=np.array([{"low": 0.01, "mid": 0.0, "high": -0.025}[p.risk] for p in procs]),
        month_weight=weight / weight.sum(axis=1, keepdims=True),
        month_weight_off=off / off.sum(axis=1, keepdims=True),
    )


@dataclass(frozen=True)
class CodeTables:
    """Unit and agency code tables, and per-place / per-procedure indices into them."""

    unit_codes: tuple[str, ...]
    agencies: tuple[Agency, ...]
    place_old_province: np.ndarray  # unit index per place
    place_district: np.ndarray
    place_old_commune: np.ndarray
    place_new_commune: np.ndarray
    new_province: int  # unit index
    place_old_index: np.ndarray  # per place: its old province's index in units.old_provinces
    ag_district: np.ndarray  # agency index per place: district UBND (before the reform)
    ag_old_commune: np.ndarray
    ag_new_commune: np.ndarray
    ag_dept: np.ndarray  # (n_proc, 3 periods, old provinces) agency index, -1 if not TINH
    place_on_time: np.ndarray  # base on-time share per place (its district / commune UBND)
    proc_dept_on_time: np.ndarray  # base on-time share per procedure's department (TINH)


def code_tables(units: DemoUnits, seed: int) -> CodeTables:
    codes: dict[str, int] = {}
    agencies: dict[tuple[str, str | None], tuple[int, Agency]] = {}

    def unit(code: str) -> int:
        return codes.setdefault(code, len(codes))

    def agency(a: Agency) -> int:
        return agencies.setdefault((a.code, a.valid_from), (len(agencies), a))[0]

    reform, merge = REFORM_DATE.isoformat(), DEPT_MERGE_DATE.isoformat()
    old_prov = np.array([unit(c) for c in units.province_code])
    district = np.array([unit(c) for c in units.district_code])
    old_commune = np.array([unit(c) for c in units.commune_code])
    new_code = units.new_province_code
    new_province = unit(new_code)
    new_commune = np.array([unit(c) for c in units.new_commune_code])
    ag_district = np.array(
        [
            agency(Agency(f"UBND_H_{c}", f"UBND {n}", "HUYEN", c, None, reform))
            for c, n in zip(units.district_code, units.district_name, strict=True)
        ]
    )
    ag_old = np.array(
        [
            agency(Agency(f"UBND_X_{c}", f"UBND {n}", "XA", c, None, reform))
            for c, n in zip(units.commune_code, units.commune_name, strict=True)
        ]
    )
    ag_new = np.array(
        [
            agency(Agency(f"UBND_X_{c}", f"UBND {n}", "XA", c, reform, None))
            for c, n in zip(units.new_commune_code, units.new_commune_name, strict=True)
        ]
    )

    def dept(code: str, prov: str) -> int:
        start = merge if code not in DEPT_ON_TIME else None  # created by the 2025-03 merger
        end = merge if code in DEPT_SUCCESSOR else None  # abolished by the merger
        if prov != new_code:  # a merged province's departments end with it
            end = end or reform
        name = f"{DEPARTMENTS[code]} {units.old_province_name(prov)}"
        return agency(Agency(units.agency_prefix(prov) + code, name, "TINH", prov, start, end))

    olds = units.old_provinces
    ag_dept = np.full((len(PROCEDURES), 3, len(olds)), -1, dtype=np.int64)
    for i, p in enumerate(PROCEDURES):
        if p.dept and p.dept_2025:
            for j, prov in enumerate(olds):
                ag_dept[i, :, j] = (
                    dept(p.dept, prov),
                    dept(p.dept_2025, prov),
                    dept(p.dept_2025, new_code),
                )
    district_score = uniform(
        seed, "district-on-time", np.array(units.district_code, dtype=np.int64)
    )
    commune_score = uniform(seed, "commune-on-time", np.array(units.commune_code, dtype=np.int64))
    place_on_time = 0.925 + 0.045 * district_score + 0.02 * commune_score
    dept_on_time = np.array([DEPT_ON_TIME.get(p.dept or "", 0.0) for p in PROCEDURES])
    return CodeTables(
        unit_codes=tuple(codes),
        agencies=tuple(a for _, a in sorted(agencies.values(), key=lambda t: t[0])),
        place_old_province=old_prov,
        place_district=district,
        place_old_commune=old_commune,
        place_new_commune=new_commune,
        new_province=new_province,
        place_old_index=np.array([olds.index(c) for c in units.province_code], dtype=np.int64),
        ag_district=ag_district,
        ag_old_commune=ag_old,
        ag_new_commune=ag_new,
        ag_dept=ag_dept,
        place_on_time=place_on_time,
        proc_dept_on_time=dept_on_time,
    )
