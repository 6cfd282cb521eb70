"""A tiny hand-made dulich lake (the connector's Parquet contract): old Khánh Hòa (56) in May and
June 2025, new Khánh Hòa (56) in July. June is first an estimate, then official (a later load);
July is still an estimate; an unknown area code (99001) comes with June's official figures."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.common.lake import with_load_columns
from ingest.dulich.contracts import MONTHLY_SCHEMA


def figures(ky: str, unit: str, kind: str, total: int, occupancy: float, places: int,
            published: str) -> dict:  # fmt: skip
    international = total // 4
    return {
        "ky": ky, "ma_dvhc": unit, "loai_so_lieu": kind, "tong_luot_khach": total,
        "khach_quoc_te": international, "khach_noi_dia": total - international,
        "khach_luu_tru": total // 2, "ngay_khach_luu_tru": total, "doanh_thu_ty_dong": total / 1000,
        "cong_suat_phong_pct": occupancy, "so_co_so_luu_tru": places,
        "ngay_cong_bo": datetime.fromisoformat(published),
    }  # fmt: skip


LOADS = {
    "thong_ke_202505__asof_20250701": [
        figures("2025-05", "56", "CHINH_THUC", 800_000, 60.0, 1_200, "2025-06-20T09:00"),
    ],
    "thong_ke_202506__asof_20250701": [
        figures("2025-06", "56", "UOC_TINH", 1_000_000, 70.0, 1_210, "2025-06-28T09:00"),
    ],
    "thong_ke_202506__asof_20250801": [
        figures("2025-06", "56", "CHINH_THUC", 1_040_000, 72.0, 1_215, "2025-07-18T09:00"),
        figures("2025-06", "99001", "CHINH_THUC", 1, 1.0, 1, "2025-07-18T09:00"),
    ],
    "thong_ke_202507__asof_20250801": [
        figures("2025-07", "56", "UOC_TINH", 1_500_000, 80.0, 1_600, "2025-07-30T09:00"),
    ],
}


def write_tourism_lake(lake: Path) -> None:
    for load_id, rows in LOADS.items():
        extracted = datetime.strptime(load_id[-8:], "%Y%m%d")
        table = pa.Table.from_pylist(
            [
                {**r, "_load_id": load_id, "_extracted_at": extracted, "_source_ref": f"GET p={i}"}
                for i, r in enumerate(rows)
            ],
            with_load_columns(MONTHLY_SCHEMA),
        )
        folder = lake / "dulich" / "thong_ke_thang" / f"load_id={load_id}"
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, folder / "part-00000.parquet")
