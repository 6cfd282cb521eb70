"""Budget revenue's raw dataset (thu_ngan_sach): the export file's columns and the rows as
landed."""

from __future__ import annotations

import pyarrow as pa

from ingest.common.contract import Contract

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

THU_NGAN_SACH = Contract(
    "ngansach",
    "thu_ngan_sach",
    SCHEMA,
    key=("ky", "ma_dvhc", "cap_ngan_sach", "ma_nhom_thu"),
    required=(*REQUIRED[:1], "ky_thang", *REQUIRED[1:]),  # ky_thang: from ky, at ingestion
    codes={
        "cap_ngan_sach": ("TINH", "HUYEN", "XA"),
        "ma_nhom_thu": (
            "NOI_DIA",
            "XNK",
            "DAU_THO",
            "VIEN_TRO",
            "NOI_DIA_DNNN",
            "NOI_DIA_FDI",
            "NOI_DIA_NQD",
            "NOI_DIA_TNCN",
            "NOI_DIA_DAT",
        ),
    },
)
