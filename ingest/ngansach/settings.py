"""Budget revenue (thu ngân sách): monthly CSV exports dropped to a folder; file and lake
layout."""

from __future__ import annotations

import re

import pyarrow as pa

SOURCE = "ngansach"
DATASET = "thu_ngan_sach"
DROP_VARIABLE = "ioc_ngansach_drop_dir"
# thu_ngan_sach_202403.csv; also _2024_03, -2024-03, upper-case names, .txt (tab-separated text)
FILE_PATTERN = re.compile(
    r"thu_ngan_sach_(?P<year>\d{4})[-_]?(?P<month>0[1-9]|1[0-2])\.(?:csv|txt)", re.IGNORECASE
)
FILE_NAME = "thu_ngan_sach_<YYYYMM>.csv"

# The file's columns, in order (header on the first line).
COLUMNS = [
    "ky",
    "ma_dvhc",
    "cap_ngan_sach",
    "ma_nhom_thu",
    "ten_nhom_thu",
    "luy_ke_thuc_hien",
    "du_toan_nam",
    "ngay_lap",
]
AMOUNT_COLUMNS = ["luy_ke_thuc_hien", "du_toan_nam"]
REQUIRED = ["ky", "ma_dvhc", "cap_ngan_sach", "ma_nhom_thu", *AMOUNT_COLUMNS, "ngay_lap"]
DICTIONARY_COLUMNS = ["ky", "ma_dvhc", "cap_ngan_sach", "ma_nhom_thu", "ten_nhom_thu", "ngay_lap"]

SCHEMA = pa.schema(
    [
        pa.field("ky", pa.string()),
        # ky's month as its first day, 00:00: a timestamp, not a date32, because the GE
        # window check compares it with the load's window (datetimes) and pandas turns a
        # date32 column into Python dates, which do not compare with datetimes.
        pa.field("ky_thang", pa.date32()),
        pa.field("ma_dvhc", pa.string()),
        pa.field("cap_ngan_sach", pa.string()),
        pa.field("ma_nhom_thu", pa.string()),
        pa.field("ten_nhom_thu", pa.string()),
        pa.field("luy_ke_thuc_hien", pa.float64()),  # million VND, cumulative from 1 January
        pa.field("du_toan_nam", pa.float64()),  # million VND
        pa.field("ngay_lap", pa.timestamp("us")),  # naive Asia/Ho_Chi_Minh wall time
    ]
)
