"""The tourism statistics system (dulich): endpoint and the raw dataset's schema."""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa

SOURCE = "dulich"
CONN_ID = "ioc_dulich"
DATASET = "thong_ke_thang"
MONTHLY_PATH = "/api/v1/thong-ke-thang"
HISTORY_START = datetime(2022, 1, 1)  # the first month the source's statistics cover
PAGE_SIZE = 500
ESTIMATE = "UOC_TINH"
# Official figures are republished when corrected: the months of this many months before a
# pull are asked again every time (a republication replaces the earlier figure in the marts).
REVISION_MONTHS = 6

INT_FIELDS = [
    "tong_luot_khach",
    "khach_quoc_te",
    "khach_noi_dia",
    "khach_luu_tru",
    "ngay_khach_luu_tru",
]
KEY_FIELDS = ("ky", "ma_dvhc", "loai_so_lieu")
REQUIRED_FIELDS = (*KEY_FIELDS, "tong_luot_khach", "ngay_cong_bo")

MONTHLY_SCHEMA = pa.schema(
    [
        pa.field("ky", pa.string()),
        pa.field("ma_dvhc", pa.string()),
        pa.field("loai_so_lieu", pa.string()),
        *[pa.field(name, pa.int64()) for name in INT_FIELDS],
        pa.field("doanh_thu_ty_dong", pa.float64()),
        pa.field("cong_suat_phong_pct", pa.float64()),
        pa.field("so_co_so_luu_tru", pa.int64()),
        pa.field("ngay_cong_bo", pa.timestamp("us")),
    ]
)
