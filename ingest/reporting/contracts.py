"""The reporting system's raw datasets: reports (bao_cao) and their figures (so_lieu) by API,
the indicator sets (bo_chi_tieu) and indicators (chi_tieu) of its catalog, and the figures of
Excel reports dropped to a folder (so_lieu_excel)."""

from __future__ import annotations

import pyarrow as pa

from ingest.common.contract import Contract

KINDS = ("THANG", "QUY", "6THANG", "9THANG", "NAM")  # a reporting period's kinds

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

BAO_CAO = Contract(
    "reporting",
    "bao_cao",
    REPORT_SCHEMA,
    key=("ma_bao_cao", "phien_ban"),
    required=(
        *("ma_bao_cao", "ma_bo_chi_tieu", "ma_don_vi", "ky_loai", "ky_nam", "ky_so"),
        *("phien_ban", "trang_thai", "ngay_cap_nhat"),
    ),
    codes={"ky_loai": KINDS},
)
SO_LIEU = Contract(
    "reporting",
    "so_lieu",
    FIGURE_SCHEMA,
    key=("ma_bao_cao", "phien_ban", "ma_chi_tieu", "ma_dvhc"),
    required=("ma_bao_cao", "phien_ban", "ma_chi_tieu", "ma_dvhc"),
)
BO_CHI_TIEU = Contract(
    "reporting",
    "bo_chi_tieu",
    SET_SCHEMA,
    key=("ma_bo_chi_tieu",),
    required=("ma_bo_chi_tieu", "ten_bo_chi_tieu", "ky_bao_cao"),
    codes={"ky_bao_cao": KINDS},
)
CHI_TIEU = Contract(
    "reporting",
    "chi_tieu",
    INDICATOR_SCHEMA,
    key=("ma_chi_tieu",),
    required=("ma_chi_tieu", "ten_chi_tieu", "ma_bo_chi_tieu", "cach_tong_hop"),
    codes={"ky_bao_cao": KINDS},
)
SO_LIEU_EXCEL = Contract(
    "reporting",
    "so_lieu_excel",
    EXCEL_SCHEMA,
    key=("ten_tep", "ma_chi_tieu"),
    required=(
        *("ten_tep", "ngay_nhan_tep", "ma_don_vi", "ma_bo_chi_tieu", "ky_loai", "ky_nam"),
        *("ky_so", "ma_dvhc", "ma_chi_tieu"),
    ),
    codes={"ky_loai": KINDS},
)
