"""The provincial reporting system (Hệ thống thông tin báo cáo tỉnh): endpoints and schemas."""

from __future__ import annotations

import re
from datetime import datetime

import pyarrow as pa

SOURCE = "reporting"
CONN_ID = "ioc_reporting"
DROP_VARIABLE = "ioc_reporting_drop_dir"
REPORTS_PATH = "/api/v1/bao-cao"
SETS_PATH = "/api/v1/bo-chi-tieu"
INDICATORS_PATH = "/api/v1/chi-tieu"
HISTORY_START = datetime(2022, 1, 1)
PAGE_SIZE = 500

KINDS = ("THANG", "QUY", "6THANG", "9THANG", "NAM")
_CODE = r"[A-Z0-9]+(?:_[A-Z0-9]+)*"
# <unit>__<set>__<year>-<kind>-<number>.xlsx; also .xlsm, .xls (Excel 97-2003), .ods
FILE_PATTERN = re.compile(
    rf"(?P<unit>{_CODE})__(?P<set>{_CODE})__(?P<year>\d{{4}})-(?P<kind>{'|'.join(KINDS)})"
    r"-0?(?P<number>\d{1,2})\.(?i:xlsx|xlsm|xls|ods)"
)

REPORT_SCHEMA = pa.schema(
    [
        ("ma_bao_cao", pa.string()),
        ("ma_bo_chi_tieu", pa.string()),
        ("ma_don_vi", pa.string()),
        ("ky_loai", pa.string()),
        ("ky_nam", pa.int32()),
        ("ky_so", pa.int32()),
        ("phien_ban", pa.int32()),
        ("trang_thai", pa.string()),
        ("han_gui", pa.date32()),
        ("ngay_gui", pa.timestamp("us")),
        ("ngay_cap_nhat", pa.timestamp("us")),
    ]
)
FIGURE_SCHEMA = pa.schema(
    [
        ("ma_bao_cao", pa.string()),
        ("phien_ban", pa.int32()),
        ("ma_chi_tieu", pa.string()),
        ("ma_dvhc", pa.string()),
        ("thuc_hien", pa.float64()),
        ("ke_hoach", pa.float64()),
        ("tu_so", pa.float64()),
        ("mau_so", pa.float64()),
        ("ghi_chu", pa.string()),
    ]
)
SET_SCHEMA = pa.schema(
    [
        (n, pa.string())
        for n in ("ma_bo_chi_tieu", "ten_bo_chi_tieu", "ma_co_quan_chu_tri", "ky_bao_cao")
    ]
)
INDICATOR_SCHEMA = pa.schema(
    [
        (n, pa.string())
        for n in (
            "ma_chi_tieu",
            "ten_chi_tieu",
            "don_vi_tinh",
            "ma_bo_chi_tieu",
            "ky_bao_cao",
            "cach_tong_hop",
        )
    ]
)
EXCEL_SCHEMA = pa.schema(
    [
        ("ten_tep", pa.string()),
        ("ngay_nhan_tep", pa.timestamp("us")),  # the file's modification time (its arrival)
        ("ma_don_vi", pa.string()),
        ("ma_bo_chi_tieu", pa.string()),
        ("ky_loai", pa.string()),
        ("ky_nam", pa.int32()),
        ("ky_so", pa.int32()),
        ("ma_dvhc", pa.string()),
        ("stt", pa.string()),
        ("ma_chi_tieu", pa.string()),
        ("ten_chi_tieu", pa.string()),
        ("don_vi_tinh", pa.string()),
        ("ke_hoach_nam", pa.float64()),
        ("thuc_hien", pa.float64()),
        ("luy_ke", pa.float64()),
        ("so_cung_ky_pct", pa.float64()),
        ("ghi_chu", pa.string()),
    ]
)
