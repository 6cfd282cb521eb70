"""The public-services portal's raw datasets: dossiers (ho_so, owners pseudonymised) and the
procedure catalog (thu_tuc)."""

from __future__ import annotations

import pyarrow as pa

from ingest.common.contract import Contract

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

HO_SO = Contract(
    "dichvucong",
    "ho_so",
    DOSSIER_SCHEMA,
    key=("MaHoSo", "NgayCapNhat"),  # a dossier's every update is a row
    required=tuple(REQUIRED_FIELDS),
    codes={
        "CapThucHien": ("TINH", "HUYEN", "XA"),
        "KenhNop": ("TRUC_TIEP", "TRUC_TUYEN", "BUU_CHINH"),
        "MucDo": ("TOAN_TRINH", "MOT_PHAN", "KHAC"),
        "TrangThai": ("DANG_XU_LY", "BO_SUNG", "DA_TRA_KET_QUA", "TU_CHOI", "RUT_HO_SO"),
    },
)
THU_TUC = Contract("dichvucong", "thu_tuc", PROCEDURE_SCHEMA, key=("MaTTHC",))
