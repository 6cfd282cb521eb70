"""The education database's raw datasets: schools by school year (truong) and graduation
exam results by year (ket_qua_tot_nghiep)."""

from __future__ import annotations

import pyarrow as pa

from ingest.common.contract import Contract

SCHOOL_SCHEMA = pa.schema(
    [
        pa.field("ma_truong", pa.string()),
        pa.field("ten_truong", pa.string()),
        pa.field("cap_hoc", pa.string()),
        pa.field("loai_hinh", pa.string()),
        pa.field("ma_dvhc", pa.string()),
        pa.field("so_lop", pa.int64()),
        pa.field("so_hoc_sinh", pa.int64()),
        pa.field("so_hoc_sinh_nu", pa.int64()),
        pa.field("so_giao_vien", pa.int64()),
        pa.field("so_giao_vien_dat_chuan", pa.int64()),
        pa.field("ngay_cap_nhat", pa.timestamp("us")),
    ]
)

EXAM_SCHEMA = pa.schema(
    [
        pa.field("ma_truong", pa.string()),
        pa.field("thi_sinh_du_thi", pa.int64()),
        pa.field("thi_sinh_tot_nghiep", pa.int64()),
    ]
)

TRUONG = Contract(
    "giaoduc",
    "truong",
    SCHOOL_SCHEMA,
    key=("ma_truong",),
    required=("ma_truong", "cap_hoc", "loai_hinh", "ma_dvhc", "ngay_cap_nhat"),
    codes={
        "cap_hoc": ("MN", "TH", "THCS", "THPT", "GDTX"),
        "loai_hinh": ("CONG_LAP", "TU_THUC"),
    },
)
KET_QUA_TOT_NGHIEP = Contract(
    "giaoduc",
    "ket_qua_tot_nghiep",
    EXAM_SCHEMA,
    key=("ma_truong",),
    required=("ma_truong", "thi_sinh_du_thi", "thi_sinh_tot_nghiep"),
)
