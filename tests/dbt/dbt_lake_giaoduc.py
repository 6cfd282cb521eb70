"""A tiny hand-made giaoduc lake (the connector's Parquet contract): school year 2024-2025 in two
snapshots (S1 updated in January), 2025-2026 after the reform, and the 2025 exam results.
Communes: 22465 (old Khánh Hòa 56), 22783 (Ninh Thuận 58), 22333 (new Khánh Hòa 56)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.common.lake import with_load_columns
from ingest.giaoduc.contracts import EXAM_SCHEMA, SCHOOL_SCHEMA


def school(sid: str, level: str, unit: str, pupils: int, teachers: int, qualified: int,
           updated: str) -> dict:  # fmt: skip
    return {
        "ma_truong": sid, "ten_truong": f"Trường {sid}", "cap_hoc": level,
        "loai_hinh": "CONG_LAP", "ma_dvhc": unit, "so_lop": pupils // 30,
        "so_hoc_sinh": pupils, "so_hoc_sinh_nu": pupils // 2, "so_giao_vien": teachers,
        "so_giao_vien_dat_chuan": qualified, "ngay_cap_nhat": datetime.fromisoformat(updated),
    }  # fmt: skip


SCHOOLS = {
    "truong_2024_2025__asof_20241001": [
        school("56300001", "THPT", "22465", 900, 50, 45, "2024-09-15T08:00"),
        school("58300001", "THPT", "22783", 600, 40, 36, "2024-09-16T08:00"),
    ],
    "truong_2024_2025__asof_20250701": [
        school("56300001", "THPT", "22465", 910, 52, 48, "2025-01-10T08:00"),
        school("58300001", "THPT", "22783", 600, 40, 36, "2024-09-16T08:00"),
    ],
    "truong_2025_2026__asof_20251001": [
        school("56300001", "THPT", "22333", 950, 55, 55, "2025-09-15T08:00"),
        school("58300001", "THPT", "22333", 620, 40, 38, "2025-09-16T08:00"),
    ],
}
EXAMS = {
    "ket_qua_2025__asof_20250801": [
        {"ma_truong": "56300001", "thi_sinh_du_thi": 300, "thi_sinh_tot_nghiep": 297},
        {"ma_truong": "58300001", "thi_sinh_du_thi": 200, "thi_sinh_tot_nghiep": 190},
    ],
}


def _write(lake: Path, dataset: str, load_id: str, rows: list[dict], schema: pa.Schema) -> None:
    extracted = datetime.strptime(load_id[-8:], "%Y%m%d")
    table = pa.Table.from_pylist(
        [
            {**r, "_load_id": load_id, "_extracted_at": extracted, "_source_ref": f"GET p={i}"}
            for i, r in enumerate(rows)
        ],
        with_load_columns(schema),
    )
    folder = lake / "giaoduc" / dataset / f"load_id={load_id}"
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, folder / "part-00000.parquet")


def write_education_lake(lake: Path) -> None:
    for load_id, rows in SCHOOLS.items():
        _write(lake, "truong", load_id, rows, SCHOOL_SCHEMA)
    for load_id, rows in EXAMS.items():
        _write(lake, "ket_qua_tot_nghiep", load_id, rows, EXAM_SCHEMA)
