"""A hand-made lake of figures that come again (issue 15), for tourism (dulich) and education
(giaoduc), with the outcome worked out by hand in tests/dbt/test_revisions.py:

- revised after publication: a figure republished with a newer time in a later load;
- a duplicate with an older time inside one page (the older copy listed first);
- an identical repeat (the same row in two loads);
- a conflict: two different copies with one time in one page (the copy received last wins);
- a correction to a period before the reform sent after it (tourism: Ninh Thuận's June 2025
  republished in September; education: a 2024-2025 school sent in July 2025 with today's
  commune code 22786, which was Phước Hòa of old 58 before);
- records nothing places: area 99001, a result for school 99000001 in no school list,
  revenue group XNK_KHAC.

Budget revenue (ngansach), file thu_ngan_sach_202403.csv exported twice: in the first export
domestic revenue twice with one ngay_lap (3 000 then 3 100: a conflict) and import-export
twice (500, then an older copy 480 listed after it); the re-export restates domestic revenue
(3 200, newer ngay_lap) and repeats import-export (500) identically.

Reports (reporting API): tax arrears of March 2024 approved (100), resent and approved again
(120; recovered debt repeated unchanged; an unknown indicator XX_999 and area 99001 in both);
Ninh Thuận's June 2025 (58: 50) resent and approved in September 2025 (55), beside new
Khánh Hòa's June (56: 200).

Dossiers (dichvucong), besides tests/dbt/dbt_lake.py's: H99.25-000099 of unit 99777, which no
list knows, received in June 2025.

Communes: 22465 (old Khánh Hòa 56), 22783 (Ninh Thuận 58) → 22786 (today's Khánh Hòa 56).
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.common.lake import with_load_columns
from ingest.dulich.contracts import MONTHLY_SCHEMA
from ingest.giaoduc.contracts import EXAM_SCHEMA, SCHOOL_SCHEMA
from ingest.reporting.contracts import EXCEL_SCHEMA, FIGURE_SCHEMA, REPORT_SCHEMA
from ingest.reporting.records import copy_ref
from tests.dbt.dbt_lake import dossier, state, write_load
from tests.dbt.dbt_lake_ngansach import row, write_file_load
from tests.dbt.dbt_lake_reporting import excel_row, figure, header


def tour(ky: str, unit: str, total: int, published: str) -> dict:
    return {
        "ky": ky, "ma_dvhc": unit, "loai_so_lieu": "CHINH_THUC", "tong_luot_khach": total,
        "khach_quoc_te": total // 4, "khach_noi_dia": total - total // 4,
        "khach_luu_tru": total // 2, "ngay_khach_luu_tru": total,
        "doanh_thu_ty_dong": total / 1000, "cong_suat_phong_pct": 60.0,
        "so_co_so_luu_tru": 1_000, "ngay_cong_bo": datetime.fromisoformat(published),
    }  # fmt: skip


def school(sid: str, unit: str, pupils: int, updated: str) -> dict:
    return {
        "ma_truong": sid, "ten_truong": f"Trường {sid}", "cap_hoc": "THPT",
        "loai_hinh": "CONG_LAP", "ma_dvhc": unit, "so_lop": 10, "so_hoc_sinh": pupils,
        "so_hoc_sinh_nu": pupils // 2, "so_giao_vien": 20, "so_giao_vien_dat_chuan": 18,
        "ngay_cap_nhat": datetime.fromisoformat(updated),
    }  # fmt: skip


def exam(sid: str, sat: int, passed: int) -> dict:
    return {"ma_truong": sid, "thi_sinh_du_thi": sat, "thi_sinh_tot_nghiep": passed}


TOURISM = {
    "thong_ke_202403__asof_20240601": [tour("2024-03", "56", 1_000_000, "2024-05-15T09:00")],
    "thong_ke_202403__asof_20240901": [tour("2024-03", "56", 1_100_000, "2024-08-01T09:00")],
    "thong_ke_202404__asof_20240701": [
        tour("2024-04", "56", 900_000, "2024-06-01T09:00"),
        tour("2024-04", "56", 950_000, "2024-06-20T09:00"),
    ],
    "thong_ke_202405__asof_20240701": [tour("2024-05", "56", 800_000, "2024-06-25T09:00")],
    "thong_ke_202405__asof_20240801": [tour("2024-05", "56", 800_000, "2024-06-25T09:00")],
    "thong_ke_202406__asof_20240801": [
        tour("2024-06", "56", 700_000, "2024-07-20T09:00"),
        tour("2024-06", "56", 720_000, "2024-07-20T09:00"),
        tour("2024-06", "99001", 1, "2024-07-20T09:00"),
    ],
    # A → B → A: republished twice, the second time back at the first figure
    "thong_ke_202407__asof_20240901": [tour("2024-07", "56", 600_000, "2024-08-20T09:00")],
    "thong_ke_202407__asof_20241001": [tour("2024-07", "56", 650_000, "2024-09-20T09:00")],
    "thong_ke_202407__asof_20241101": [tour("2024-07", "56", 600_000, "2024-10-20T09:00")],
    "thong_ke_202506__asof_20250801": [
        tour("2025-06", "56", 1_040_000, "2025-07-18T09:00"),
        tour("2025-06", "58", 300_000, "2025-07-18T09:00"),
    ],
    "thong_ke_202506__asof_20251001": [
        tour("2025-06", "56", 1_040_000, "2025-07-18T09:00"),
        tour("2025-06", "58", 350_000, "2025-09-10T09:00"),
    ],
}
SCHOOLS = {
    "truong_2023_2024__asof_20240601": [
        school("56300001", "22465", 500, "2023-09-15T08:00"),
        school("56300002", "22465", 300, "2023-09-15T08:00"),
        school("56300002", "22465", 310, "2024-01-10T08:00"),
        school("58300004", "22783", 200, "2023-09-20T08:00"),
    ],
    "truong_2023_2024__asof_20241001": [
        school("56300001", "22465", 520, "2024-08-01T08:00"),
        school("56300002", "22465", 310, "2024-01-10T08:00"),
        school("58300004", "22783", 200, "2023-09-20T08:00"),
    ],
    "truong_2024_2025__asof_20250601": [
        school("56300001", "22465", 900, "2024-09-15T08:00"),
        school("58300003", "22783", 600, "2024-09-16T08:00"),
    ],
    "truong_2024_2025__asof_20250801": [
        school("56300001", "22465", 900, "2024-09-15T08:00"),
        school("58300003", "22786", 606, "2025-07-15T09:00"),
    ],
}
EXAMS = {
    "ket_qua_2024__asof_20240801": [
        exam("56300001", 100, 98),
        exam("56300001", 104, 100),
        exam("58300004", 60, 57),
        exam("99000001", 5, 5),
    ],
    "ket_qua_2025__asof_20250801": [exam("56300001", 300, 297), exam("58300003", 200, 190)],
    "ket_qua_2025__asof_20260801": [exam("56300001", 300, 297), exam("58300003", 210, 200)],
}


def _write(lake: Path, source: str, dataset: str, loads: dict, schema: pa.Schema) -> None:
    for load_id, rows in loads.items():
        extracted = datetime.strptime(load_id[-8:], "%Y%m%d")
        table = pa.Table.from_pylist(
            [
                {
                    **r,
                    "_load_id": load_id,
                    "_extracted_at": extracted,
                    "_source_ref": f"GET /api/v1/x?page=1&page_size=500#record={i}",
                }
                for i, r in enumerate(rows)
            ],
            with_load_columns(schema),
        )
        folder = lake / source / dataset / f"load_id={load_id}"
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, folder / "part-00000.parquet")


def budget(group: str, cumulative: float, prepared: str) -> dict:
    if group == "XNK_KHAC":  # a group no catalog knows
        base = row("2024-03", "56", "TINH", "XNK", cumulative, 0, datetime(2024, 1, 1))
        return base | {"ma_nhom_thu": group, "ngay_lap": datetime.fromisoformat(prepared)}
    estimate = {"NOI_DIA": 12_000, "XNK": 2_400}[group]
    return row(
        "2024-03", "56", "TINH", group, cumulative, estimate, datetime.fromisoformat(prepared)
    )


BUDGET = [
    [
        budget("NOI_DIA", 3_000, "2024-04-08T09:00"),
        budget("NOI_DIA", 3_100, "2024-04-08T09:00"),
        budget("XNK", 500, "2024-04-08T09:00"),
        budget("XNK", 480, "2024-04-01T09:00"),
        budget("XNK_KHAC", 7, "2024-04-08T09:00"),
    ],
    [
        budget("NOI_DIA", 3_200, "2024-04-20T09:00"),
        budget("XNK", 500, "2024-04-08T09:00"),
    ],
]


# Before the reform Ninh Thuận (58) and old Khánh Hòa (56) report June 2025 in the June file;
# the July file (new Khánh Hòa only) also corrects Ninh Thuận's June, with the old code.
LATE_BUDGET = {
    "2025-06": [
        row("2025-06", "56", "TINH", "NOI_DIA", 5_000, 11_000, datetime(2025, 7, 8, 9)),
        row("2025-06", "58", "TINH", "NOI_DIA", 1_000, 2_000, datetime(2025, 7, 8, 9)),
    ],
    "2025-07": [
        row("2025-07", "56", "TINH", "NOI_DIA", 6_800, 13_000, datetime(2025, 8, 8, 9)),
        row("2025-06", "58", "TINH", "NOI_DIA", 1_050, 2_000, datetime(2025, 8, 8, 9)),
    ],
}


def tax_report(code: str, version: int, unit: str, month: tuple[int, int], updated: str):
    due = f"{month[0]}-{month[1] + 1:02d}-18"
    return header(code, version, unit, "BCT_THUE_THANG", "THANG", month[0], month[1],
                  "DA_DUYET", due, updated, updated)  # fmt: skip


REPORTS = {
    "20240401T0000_20240501T0000": (
        [tax_report("BC-R-1", 1, "CUC_THUE", (2024, 3), "2024-04-10T09:00")],
        [
            figure("BC-R-1", 1, "THUE_NO_THUE", "56", 100.0),
            figure("BC-R-1", 1, "THUE_THU_HOI_NO", "56", 10.0),
            figure("BC-R-1", 1, "XX_999", "56", 1.0),
            figure("BC-R-1", 1, "THUE_NO_THUE", "99001", 5.0),
        ],
    ),
    "20240501T0000_20240601T0000": (
        [tax_report("BC-R-1", 2, "CUC_THUE", (2024, 3), "2024-05-02T09:00")],
        [
            figure("BC-R-1", 2, "THUE_NO_THUE", "56", 120.0),
            figure("BC-R-1", 2, "THUE_THU_HOI_NO", "56", 10.0),
            figure("BC-R-1", 2, "XX_999", "56", 1.0),
            figure("BC-R-1", 2, "THUE_NO_THUE", "99001", 5.0),
        ],
    ),
    # one page: BC-R-4 (July 2024) as an older copy (60) then the current one (70); BC-R-5
    # (August 2024, new agency) twice with one time, 80 then 85 (a conflict)
    "20240801T0000_20240901T0000": (
        [
            tax_report("BC-R-4", 1, "CUC_THUE", (2024, 7), "2024-08-03T09:00"),
            tax_report("BC-R-4", 1, "CUC_THUE", (2024, 7), "2024-08-05T09:00"),
            tax_report("BC-R-5", 1, "CUC_THUE", (2024, 8), "2024-08-28T09:00"),
            tax_report("BC-R-5", 1, "CUC_THUE", (2024, 8), "2024-08-28T09:00"),
        ],
        [
            figure("BC-R-4", 1, "THUE_NO_THUE", "56", 60.0),
            figure("BC-R-4", 1, "THUE_NO_THUE", "56", 70.0),
            figure("BC-R-5", 1, "THUE_NO_THUE", "56", 80.0),
            figure("BC-R-5", 1, "THUE_NO_THUE", "56", 85.0),
        ],
    ),
    "20250701T0000_20250801T0000": (
        [
            tax_report("BC-R-2", 1, "NT_CUC_THUE", (2025, 6), "2025-07-05T09:00"),
            tax_report("BC-R-3", 1, "CUC_THUE", (2025, 6), "2025-07-05T09:00"),
        ],
        [
            figure("BC-R-2", 1, "THUE_NO_THUE", "58", 50.0),
            figure("BC-R-3", 1, "THUE_NO_THUE", "56", 200.0),
        ],
    ),
    "20250901T0000_20251001T0000": (
        [tax_report("BC-R-2", 2, "NT_CUC_THUE", (2025, 6), "2025-09-01T09:00")],
        [figure("BC-R-2", 2, "THUE_NO_THUE", "58", 55.0)],
    ),
}


def _refs(headers: list[dict], figures: list[dict]) -> tuple[list[str], list[str]]:
    """The references the connector gives: each report copy's place in its page; a figure is
    in the copy of its version listed at the same rank among that version's copies (the
    figures above are listed copy by copy, one figure a copy)."""
    page = "GET /api/v1/bao-cao?page=1"
    places: dict[tuple, list[int]] = {}
    for i, h in enumerate(headers):
        places.setdefault((h["ma_bao_cao"], h["phien_ban"]), []).append(i)
    header_refs = [
        copy_ref(page, i, h["ma_bao_cao"], h["phien_ban"]) for i, h in enumerate(headers)
    ]
    seen: dict[tuple, int] = {}
    figure_refs = []
    for j, f in enumerate(figures):
        key = (f["ma_bao_cao"], f["phien_ban"])
        copies = places[key]
        rank = seen.get(key, 0) if len(copies) > 1 else 0
        seen[key] = rank + 1
        figure_refs.append(copy_ref(page, copies[rank], *key) + f"&so_lieu={j}")
    return header_refs, figure_refs


def _write_reports(lake: Path) -> None:
    for window, (headers, figures) in REPORTS.items():
        extracted = datetime.strptime(window[-13:], "%Y%m%dT%H%M")
        header_refs, figure_refs = _refs(headers, figures)
        datasets = [
            ("bao_cao", REPORT_SCHEMA, headers, header_refs),
            ("so_lieu", FIGURE_SCHEMA, figures, figure_refs),
        ]
        for dataset, schema, rows, refs in datasets:
            table = pa.Table.from_pylist(
                [
                    {**r, "_load_id": f"{dataset}_{window}", "_extracted_at": extracted,
                     "_source_ref": ref}
                    for r, ref in zip(rows, refs, strict=True)
                ],
                with_load_columns(schema),
            )  # fmt: skip
            folder = lake / "reporting" / dataset / f"load_id={dataset}_{window}"
            folder.mkdir(parents=True, exist_ok=True)
            pq.write_table(table, folder / "part-00000.parquet")


def excel_file(month: int, rows: list[dict], received: datetime) -> list[dict]:
    name = f"SO_DTTG__BCT_DTTS_THANG__2025-THANG-{month}.xlsx"
    return [r | {"ten_tep": name, "ky_so": month, "ngay_nhan_tep": received} for r in rows]


# Excel reports (file drop): August 2025 sent (30), resent with another figure (35), then
# resent identical (a repeat); September 2025 with one figure row typed twice (10, then 12:
# the later row stands, a conflict).
EXCEL = {
    "aug_1": excel_file(8, [excel_row("DTTS_GIAI_NGAN", 30.0)], datetime(2025, 9, 10, 8)),
    "aug_2": excel_file(8, [excel_row("DTTS_GIAI_NGAN", 35.0)], datetime(2025, 9, 25, 8)),
    "aug_3": excel_file(8, [excel_row("DTTS_GIAI_NGAN", 35.0)], datetime(2025, 10, 1, 8)),
    "sep_1": excel_file(
        9,
        [excel_row("DTTS_GIAI_NGAN", 10.0), excel_row("DTTS_GIAI_NGAN", 12.0)],
        datetime(2025, 10, 12, 8),
    ),
}


def _write_excel(lake: Path) -> None:
    for name, rows in EXCEL.items():
        load_id = f"SO_DTTG__BCT_DTTS_THANG__{name}"
        table = pa.Table.from_pylist(
            [
                {**r, "_load_id": load_id, "_extracted_at": r["ngay_nhan_tep"],
                 "_source_ref": f"{r['ten_tep']}!BaoCao!A{12 + i}"}
                for i, r in enumerate(rows)
            ],
            with_load_columns(EXCEL_SCHEMA),
        )  # fmt: skip
        folder = lake / "reporting" / "so_lieu_excel" / f"load_id={load_id}"
        folder.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, folder / "part-00000.parquet")


UNPLACED_DOSSIER = dossier(
    "H99.25-000099", "SO_TU_PHAP", "XA", "99777", "TRUC_TIEP",
    NgayTiepNhan=datetime(2025, 6, 5, 9), NgayHenTra=datetime(2025, 6, 12, 17),
)  # fmt: skip


def write_revisions_lake(lake: Path) -> None:
    """Writes beside tests/dbt/dbt_lake.py's dossiers (write_initial_lake)."""
    record = state(UNPLACED_DOSSIER, "2025-06-05T09:00", "DANG_XU_LY")
    write_load(lake, "ho_so", "ho_so_unplaced", [record], datetime(2025, 7, 1, 1))
    _write_reports(lake)
    _write_excel(lake)
    for version, rows in enumerate(BUDGET, start=1):
        write_file_load(lake, "2024-03", rows, version)
    for ky, rows in LATE_BUDGET.items():
        write_file_load(lake, ky, rows)
    _write(lake, "dulich", "thong_ke_thang", TOURISM, MONTHLY_SCHEMA)
    _write(lake, "giaoduc", "truong", SCHOOLS, SCHOOL_SCHEMA)
    _write(lake, "giaoduc", "ket_qua_tot_nghiep", EXAMS, EXAM_SCHEMA)
