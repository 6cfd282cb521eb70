"""The education database (giaoduc): endpoints and the raw datasets' schemas."""

from __future__ import annotations

import pyarrow as pa

SOURCE = "giaoduc"
CONN_ID = "ioc_giaoduc"
SCHOOLS_DATASET = "truong"
EXAM_DATASET = "ket_qua_tot_nghiep"
SCHOOLS_PATH = "/api/v1/truong"
EXAM_PATH = "/api/v1/ket-qua-tot-nghiep"
FIRST_SCHOOL_YEAR = 2021  # 2021-2022: the first school year the source holds
FIRST_EXAM_YEAR = 2022
PAGE_SIZE = 500
# A school year is closed (its figures final) once the summer after it has begun.
CLOSES_MONTH = 7
# Corrections come after that (even after the 2025 reform, with new unit codes): a school year
# and an exam year are asked again for this many years after they closed.
REVISION_YEARS = 1

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
SCHOOL_KEY = ("ma_truong",)
SCHOOL_REQUIRED = ("ma_truong", "cap_hoc", "loai_hinh", "ma_dvhc", "ngay_cap_nhat")

EXAM_SCHEMA = pa.schema(
    [
        pa.field("ma_truong", pa.string()),
        pa.field("thi_sinh_du_thi", pa.int64()),
        pa.field("thi_sinh_tot_nghiep", pa.int64()),
    ]
)
EXAM_KEY = ("ma_truong",)
EXAM_REQUIRED = ("ma_truong", "thi_sinh_du_thi", "thi_sinh_tot_nghiep")
