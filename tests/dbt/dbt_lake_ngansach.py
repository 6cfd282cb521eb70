"""A tiny hand-made ngansach lake (the connector's Parquet contract) with known outcomes.

Files of 2025 for old Khánh Hòa (56), Ninh Thuận (58), the old district Cam Lâm (570), then from
the 2025-07-01 reform new Khánh Hòa (56) and Phường Bắc Nha Trang (22333, a code that also
existed before). February–April never arrived. June's domestic revenue of old 56 is first
reported low (5 900) and restated in July's file (6 000); August's file is re-exported with
corrected figures (a second load of the same name).
"""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.common.lake import with_load_columns
from ingest.ngansach.contracts import SCHEMA

GROUP_NAMES = {
    "NOI_DIA": "Thu nội địa",
    "XNK": "Thu từ hoạt động xuất khẩu, nhập khẩu",
    "DAU_THO": "Thu từ dầu thô",
    "VIEN_TRO": "Thu viện trợ",
}
# (unit, level) -> group -> (cumulative, annual estimate), per month
OLD_ESTIMATES = {
    ("56", "TINH"): {"NOI_DIA": 12_000, "XNK": 2_400, "DAU_THO": 0, "VIEN_TRO": 100},
    ("58", "TINH"): {"NOI_DIA": 3_600, "XNK": 480, "DAU_THO": 0, "VIEN_TRO": 50},
    ("570", "HUYEN"): {"NOI_DIA": 600},
}
NEW_ESTIMATES = {
    ("56", "TINH"): {"NOI_DIA": 16_500, "XNK": 3_000, "DAU_THO": 0, "VIEN_TRO": 160},
    ("22333", "XA"): {"NOI_DIA": 90},
}
CUMULATIVE = {
    "2025-01": {("56", "TINH"): [1_000, 200, 0, 10], ("58", "TINH"): [300, 40, 0, 5],
                ("570", "HUYEN"): [50]},
    "2025-05": {("56", "TINH"): [5_000, 1_000, 0, 50], ("58", "TINH"): [1_500, 200, 0, 25],
                ("570", "HUYEN"): [250]},
    "2025-06": {("56", "TINH"): [5_900, 1_200, 0, 60], ("58", "TINH"): [1_800, 240, 0, 30],
                ("570", "HUYEN"): [300]},
    "2025-07": {("56", "TINH"): [8_800, 1_700, 0, 100], ("22333", "XA"): [40]},
    "2025-08": {("56", "TINH"): [9_900, 1_950, 0, 110], ("22333", "XA"): [55]},
}  # fmt: skip
AUGUST_CORRECTED = {("56", "TINH"): [10_000, 1_950, 0, 110], ("22333", "XA"): [60]}
JUNE_RESTATED = {("56", "TINH", "NOI_DIA"): 6_000}


def load_id(ky: str, version: int = 1) -> str:
    return f"thu_ngan_sach_{ky.replace('-', '')}__{'ab' * 5}{version:02d}"


def rows_of(ky: str, figures: dict, prepared: datetime) -> list[dict]:
    estimates = OLD_ESTIMATES if ky < "2025-07" else NEW_ESTIMATES
    out = []
    for (unit, level), values in figures.items():
        for group, cumulative in zip(estimates[(unit, level)], values, strict=True):
            out.append(row(ky, unit, level, group, cumulative, estimates[(unit, level)][group],
                           prepared))  # fmt: skip
    return out


def row(ky, unit, level, group, cumulative, estimate, prepared) -> dict:
    return {
        "ky": ky, "ky_thang": date.fromisoformat(f"{ky}-01"), "ma_dvhc": unit,
        "cap_ngan_sach": level, "ma_nhom_thu": group, "ten_nhom_thu": GROUP_NAMES[group],
        "luy_ke_thuc_hien": float(cumulative), "du_toan_nam": float(estimate),
        "ngay_lap": prepared,
    }  # fmt: skip


def write_file_load(lake: Path, ky: str, rows: list[dict], version: int = 1) -> str:
    """One dropped file as one load folder, the way the connector writes it."""
    lid = load_id(ky, version)
    name = f"thu_ngan_sach_{ky.replace('-', '')}.csv"
    extracted = max(r["ngay_lap"] for r in rows).replace(hour=23)
    table = pa.Table.from_pylist(
        [
            {
                **r,
                "_load_id": lid,
                "_extracted_at": extracted,
                "_source_ref": f"{name}#line={i + 2}",
            }
            for i, r in enumerate(rows)
        ],
        with_load_columns(SCHEMA),
    )
    folder = lake / "ngansach" / "thu_ngan_sach" / f"load_id={lid}"
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, folder / "part-00000.parquet")
    return lid


def write_budget_lake(lake: Path) -> None:
    t = datetime.fromisoformat
    for ky, prepared in [("2025-01", "2025-02-10T09:00"), ("2025-05", "2025-06-09T09:00"),
                         ("2025-06", "2025-07-08T09:00")]:  # fmt: skip
        write_file_load(lake, ky, rows_of(ky, CUMULATIVE[ky], t(prepared)))
    july = rows_of("2025-07", CUMULATIVE["2025-07"], t("2025-08-07T10:00"))
    july += [
        row("2025-06", unit, level, group, value, OLD_ESTIMATES[(unit, level)][group],
            t("2025-08-07T10:00"))
        for (unit, level, group), value in JUNE_RESTATED.items()
    ]  # fmt: skip
    write_file_load(lake, "2025-07", july)
    write_file_load(
        lake, "2025-08", rows_of("2025-08", CUMULATIVE["2025-08"], t("2025-09-08T09:00"))
    )
    write_file_load(
        lake, "2025-08", rows_of("2025-08", AUGUST_CORRECTED, t("2025-09-15T14:00")), version=2
    )
