"""The public-services portal (Hệ thống thông tin giải quyết TTHC): endpoints and schemas."""

from __future__ import annotations

from datetime import datetime

import pyarrow as pa

SOURCE = "dichvucong"
CONN_ID = "ioc_dichvucong"
DOSSIERS_PATH = "/api/v1/ho-so"
PROCEDURES_PATH = "/api/v1/thu-tuc"
HISTORY_START = datetime(2022, 1, 1)  # the first month the portal's records cover
PAGE_SIZE = 1000
PREFETCH_PAGES = 2  # pages fetched ahead while one is converted (bounded memory)

STRING_FIELDS = [
    "MaHoSo",
    "MaTTHC",
    "TenTTHC",
    "MaLinhVuc",
    "TenLinhVuc",
    "MaCoQuan",
    "CapThucHien",
    "MaDVHC",
    "KenhNop",
    "MucDo",
    "TrangThai",
]
TIME_FIELDS = ["NgayTiepNhan", "NgayHenTra", "NgayKetThucXuLy", "NgayTraKetQua", "NgayCapNhat"]
BOOL_FIELDS = ["ThanhToanTrucTuyen", "DaSoHoa"]
# Columns with few distinct values: dictionary-encoded in the lake's Parquet files.
DICTIONARY_FIELDS = [*(f for f in STRING_FIELDS if f != "MaHoSo"), "DanhGiaHaiLong"]
REQUIRED_FIELDS = ["MaHoSo", "MaCoQuan", "MaDVHC", "NgayTiepNhan", "TrangThai", "NgayCapNhat"]

DOSSIER_SCHEMA = pa.schema(
    [
        *[pa.field(name, pa.string()) for name in STRING_FIELDS[:10]],
        *[pa.field(name, pa.timestamp("us")) for name in TIME_FIELDS[:4]],
        pa.field("TrangThai", pa.string()),
        pa.field("ThanhToanTrucTuyen", pa.bool_()),
        pa.field("PhiLePhi", pa.int64()),
        pa.field("DaSoHoa", pa.bool_()),
        pa.field("DanhGiaHaiLong", pa.int8()),
        pa.field("ChuHoSoHash", pa.string()),
        pa.field("NgayCapNhat", pa.timestamp("us")),
    ]
)

# What the source sends when all is well: the fast path converts whole pages with it.
WIRE_SCHEMA = pa.schema(
    [
        *[pa.field(name, pa.string()) for name in STRING_FIELDS],
        *[pa.field(name, pa.string()) for name in TIME_FIELDS],
        pa.field("ThanhToanTrucTuyen", pa.bool_()),
        pa.field("PhiLePhi", pa.int64()),
        pa.field("DaSoHoa", pa.bool_()),
        pa.field("DanhGiaHaiLong", pa.int8()),
        pa.field("ChuHoSoHash", pa.string()),
    ]
)

PROCEDURE_SCHEMA = pa.schema(
    [pa.field(n, pa.string()) for n in ["MaTTHC", "TenTTHC", "MaLinhVuc", "CapThucHien", "MucDo"]]
)
