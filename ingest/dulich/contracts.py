"""The tourism statistics system's raw dataset: monthly figures by area (thong_ke_thang)."""

from __future__ import annotations

import pyarrow as pa

from ingest.common.contract import Contract

ESTIMATE, OFFICIAL = "UOC_TINH", "CHINH_THUC"  # a month's figures: estimate, then official

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

THONG_KE_THANG = Contract(
    "dulich",
    "thong_ke_thang",
    MONTHLY_SCHEMA,
    key=KEY_FIELDS,
    required=REQUIRED_FIELDS,
    codes={"loai_so_lieu": (ESTIMATE, OFFICIAL)},
)
