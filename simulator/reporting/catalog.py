"""The reporting system's own catalog: indicator sets (bộ chỉ tiêu) and indicators (chỉ tiêu).

Both are committed CSVs beside this module, in the source's vocabulary. Besides what the
API serves they hold the value model of each indicator (base level for the whole new
province in 2022, yearly growth, seasonal profile, plan factor, noise, decimals...).
"""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class IndicatorSet:
    code: str  # ma_bo_chi_tieu
    name: str
    lead: str  # ma_co_quan_chu_tri (today's agency)
    lead_before_merge: str  # the agency before the departments merged on 2025-03-01
    kind: str  # THANG | QUY | NAM
    channel: str  # API | EXCEL (units that send files instead of using the API)
    broken_down: bool  # figures also per district (before the reform) / commune (after)


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    unit: str
    set_code: str
    kind: str
    method: str  # TONG | CUOI_KY | TRUNG_BINH | TY_LE
    base: float
    growth: float
    season: str  # PHANG | TET | HE | CUOI_NAM | MUA_MUA | LUY_KE
    plan_factor: float | None
    noise: float
    decimals: int
    denominator_base: float | None
    additive: bool  # values of areas add up (else each area has its own level)
    broken_down: bool


def _rows(name: str) -> list[dict[str, str]]:
    with (HERE / name).open(encoding="utf-8", newline="") as f:
        return [
            {k: unicodedata.normalize("NFC", v) for k, v in row.items()}
            for row in csv.DictReader(f)
        ]


@cache
def indicator_sets() -> tuple[IndicatorSet, ...]:
    return tuple(
        IndicatorSet(
            r["ma_bo_chi_tieu"],
            r["ten_bo_chi_tieu"],
            r["ma_co_quan_chu_tri"],
            r["co_quan_truoc_2025_03_01"],
            r["ky_bao_cao"],
            r["kenh_gui"],
            r["phan_ra_dia_ban"] == "1",
        )
        for r in _rows("bo_chi_tieu.csv")
    )


@cache
def indicators() -> tuple[Indicator, ...]:
    return tuple(
        Indicator(
            code=r["ma_chi_tieu"],
            name=r["ten_chi_tieu"],
            unit=r["don_vi_tinh"],
            set_code=r["ma_bo_chi_tieu"],
            kind=r["ky_bao_cao"],
            method=r["cach_tong_hop"],
            base=float(r["muc_co_so"]),
            growth=float(r["tang_truong_nam"]),
            season=r["mua_vu"],
            plan_factor=float(r["he_so_ke_hoach"]) if r["he_so_ke_hoach"] else None,
            noise=float(r["do_nhieu"]),
            decimals=int(r["so_le"]),
            denominator_base=float(r["mau_so_co_so"]) if r["mau_so_co_so"] else None,
            additive=r["cong_don"] == "1",
            broken_down=r["phan_ra"] == "1",
        )
        for r in _rows("chi_tieu.csv")
    )


def members(set_code: str) -> tuple[Indicator, ...]:
    return tuple(i for i in indicators() if i.set_code == set_code)


def sets_json() -> list[dict[str, str]]:
    """GET /api/v1/bo-chi-tieu, as served."""
    return [
        {
            "ma_bo_chi_tieu": s.code,
            "ten_bo_chi_tieu": s.name,
            "ma_co_quan_chu_tri": s.lead,
            "ky_bao_cao": s.kind,
        }
        for s in indicator_sets()
    ]


def indicators_json() -> list[dict[str, str]]:
    """GET /api/v1/chi-tieu, as served."""
    return [
        {
            "ma_chi_tieu": i.code,
            "ten_chi_tieu": i.name,
            "don_vi_tinh": i.unit,
            "ma_bo_chi_tieu": i.set_code,
            "ky_bao_cao": i.kind,
            "cach_tong_hop": i.method,
        }
        for i in indicators()
    ]
