"""A tiny hand-made reporting lake (the connector's Parquet contract), new Khánh Hòa (56) around
the 2025-07-01 reform, API windows to 2025-11-01 (the data's as-of):

- tax (BCT_THUE_THANG, CUC_THUE): July sent on time, approved in the next window (it lands
  twice); August v1 sent back (debt collected ×10) on time, v2 resent after the due date
  (still on time: the first sending counts); September never came (missing); Ninh Thuận's
  NT_CUC_THUE sent June 2025 only, two days late (it stopped: nothing expected after);
- GRDP (BCT_GRDP_QUY, CUC_THONG_KE): Q1 to Q3 2025 (quarterly: no month rows);
- ethnic-minority programme (BCT_DTTS_THANG, SO_DTTG) as Excel: August sent twice (the resent
  file wins), with an unknown indicator code that stays out; September never came."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.common.lake import with_load_columns
from ingest.reporting.contracts import EXCEL_SCHEMA, FIGURE_SCHEMA, REPORT_SCHEMA

W_JUL, W_AUG, W_SEP, W_OCT = (
    "20250701T0000_20250801T0000",
    "20250801T0000_20250901T0000",
    "20250901T0000_20251001T0000",
    "20251001T0000_20251101T0000",
)


def header(code, version, unit, set_code, kind, year, number, state, due, sent, updated):
    return {
        "ma_bao_cao": code, "ma_bo_chi_tieu": set_code, "ma_don_vi": unit, "ky_loai": kind,
        "ky_nam": year, "ky_so": number, "phien_ban": version, "trang_thai": state,
        "han_gui": date.fromisoformat(due), "ngay_gui": datetime.fromisoformat(sent),
        "ngay_cap_nhat": datetime.fromisoformat(updated),
    }  # fmt: skip


def figure(code, version, indicator, unit, value, plan=None, num=None, den=None):
    return {
        "ma_bao_cao": code, "phien_ban": version, "ma_chi_tieu": indicator, "ma_dvhc": unit,
        "thuc_hien": value, "ke_hoach": plan, "tu_so": num, "mau_so": den, "ghi_chu": None,
    }  # fmt: skip


def tax(code, version, debt, collected, rate=(90, 100)):
    return [
        figure(code, version, "THUE_NO_THUE", "56", debt),
        figure(code, version, "THUE_THU_HOI_NO", "56", collected, plan=1200.0),
        figure(code, version, "THUE_TY_LE_NOP_DIEN_TU", "56", 90.0, num=rate[0], den=rate[1]),
    ]


def grdp(code, value):
    return [figure(code, 1, "GRDP_GIA_HIEN_HANH", "56", value, plan=100_000.0)]


JUL_V1_SENT = header("BC-2025-1", 1, "CUC_THUE", "BCT_THUE_THANG", "THANG", 2025, 7, "DA_GUI",
                     "2025-08-18", "2025-08-10T09:00", "2025-08-10T09:00")  # fmt: skip
API_LOADS = {
    W_JUL: (
        [
            header(
                "BC-2025-0",
                1,
                "NT_CUC_THUE",
                "BCT_THUE_THANG",
                "THANG",
                2025,
                6,
                "DA_DUYET",
                "2025-07-18",
                "2025-07-20T09:00",
                "2025-07-21T09:00",
            ),
            header(
                "BC-2025-G1",
                1,
                "CUC_THONG_KE",
                "BCT_GRDP_QUY",
                "QUY",
                2025,
                1,
                "DA_DUYET",
                "2025-04-20",
                "2025-04-15T09:00",
                "2025-07-02T09:00",
            ),
            header(
                "BC-2025-G2",
                1,
                "CUC_THONG_KE",
                "BCT_GRDP_QUY",
                "QUY",
                2025,
                2,
                "DA_DUYET",
                "2025-07-20",
                "2025-07-18T09:00",
                "2025-07-20T09:00",
            ),
        ],
        [
            *[{**f, "ma_dvhc": "58"} for f in tax("BC-2025-0", 1, 500.0, 40.0)],
            *grdp("BC-2025-G1", 20_000.0),
            *grdp("BC-2025-G2", 22_500.0),
        ],
    ),
    W_AUG: ([JUL_V1_SENT], tax("BC-2025-1", 1, 1800.0, 100.0)),
    W_SEP: (
        [
            {**JUL_V1_SENT, "trang_thai": "DA_DUYET", "ngay_cap_nhat": datetime(2025, 9, 2, 9)},
            header(
                "BC-2025-2",
                1,
                "CUC_THUE",
                "BCT_THUE_THANG",
                "THANG",
                2025,
                8,
                "TRA_LAI",
                "2025-09-18",
                "2025-09-15T09:00",
                "2025-09-16T09:00",
            ),
            header(
                "BC-2025-2",
                2,
                "CUC_THUE",
                "BCT_THUE_THANG",
                "THANG",
                2025,
                8,
                "DA_DUYET",
                "2025-09-18",
                "2025-09-22T09:00",
                "2025-09-24T09:00",
            ),
        ],
        [
            *tax("BC-2025-1", 1, 1800.0, 100.0),
            *tax("BC-2025-2", 1, 1750.0, 1500.0, rate=(80, 100)),
            *tax("BC-2025-2", 2, 1750.0, 150.0, rate=(80, 100)),
        ],
    ),
    W_OCT: (
        [
            header(
                "BC-2025-G3",
                1,
                "CUC_THONG_KE",
                "BCT_GRDP_QUY",
                "QUY",
                2025,
                3,
                "DA_DUYET",
                "2025-10-20",
                "2025-10-18T09:00",
                "2025-10-21T09:00",
            ),
        ],
        grdp("BC-2025-G3", 25_000.0),
    ),
}


def excel_row(indicator, value, plan=None):
    return {
        "ten_tep": "SO_DTTG__BCT_DTTS_THANG__2025-THANG-8.xlsx", "ma_don_vi": "SO_DTTG",
        "ma_bo_chi_tieu": "BCT_DTTS_THANG", "ky_loai": "THANG", "ky_nam": 2025, "ky_so": 8,
        "ma_dvhc": "56", "stt": "1", "ma_chi_tieu": indicator, "ten_chi_tieu": indicator,
        "don_vi_tinh": "tỷ đồng", "ke_hoach_nam": plan, "thuc_hien": value, "luy_ke": None,
        "so_cung_ky_pct": None, "ghi_chu": None,
    }  # fmt: skip


EXCEL_LOADS = {
    # (load id, extracted at): rows
    ("SO_DTTG__BCT_DTTS_THANG__2025-THANG-8__aaaaaaaaaaaa", datetime(2025, 9, 10, 8)): [
        excel_row("DTTS_GIAI_NGAN", 30.0, 400.0),
        excel_row("XX_001", 1.0),
    ],
    ("SO_DTTG__BCT_DTTS_THANG__2025-THANG-8__000000000000", datetime(2025, 9, 25, 8)): [
        excel_row("DTTS_GIAI_NGAN", 35.0, 400.0),
    ],
}


def _write(lake: Path, dataset: str, load_id: str, schema: pa.Schema, rows: list[dict],
           extracted: datetime) -> None:  # fmt: skip
    table = pa.Table.from_pylist(
        [
            {**r, "_load_id": load_id, "_extracted_at": extracted, "_source_ref": f"row {i}"}
            for i, r in enumerate(rows)
        ],
        with_load_columns(schema),
    )
    folder = lake / "reporting" / dataset / f"load_id={load_id}"
    folder.mkdir(parents=True, exist_ok=True)
    pq.write_table(table, folder / "part-00000.parquet")


def write_reporting_lake(lake: Path) -> None:
    for window, (headers, figures) in API_LOADS.items():
        extracted = datetime.strptime(window[-13:], "%Y%m%dT%H%M")
        _write(lake, "bao_cao", f"bao_cao_{window}", REPORT_SCHEMA, headers, extracted)
        _write(lake, "so_lieu", f"so_lieu_{window}", FIGURE_SCHEMA, figures, extracted)
    write_excel_reports(lake)


def write_excel_reports(lake: Path) -> None:
    """Only the Excel files (a province whose units all send Excel)."""
    for (load_id, extracted), rows in EXCEL_LOADS.items():
        _write(lake, "so_lieu_excel", load_id, EXCEL_SCHEMA, rows, extracted)
