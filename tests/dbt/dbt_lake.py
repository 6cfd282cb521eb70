"""A tiny hand-made dichvucong lake (in its contract, ingest/dichvucong/contracts.py) with known
outcomes.

Units: 22783 = Xã Phước Bình (Ninh Thuận 58, old generation), 22465 = Xã Cam An Bắc and
570 = Huyện Cam Lâm (old Khánh Hòa 56), 22333 = Phường Bắc Nha Trang (new Khánh Hòa 56; the
same code was Phường Vĩnh Phước before the reform), 58 = the old province Ninh Thuận.
"""

from __future__ import annotations

from datetime import datetime
from hashlib import sha256
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from ingest.common.lake import with_load_columns
from ingest.dichvucong.contracts import HO_SO, THU_TUC

HO_SO_SCHEMA = with_load_columns(HO_SO.schema)
THU_TUC_SCHEMA = with_load_columns(THU_TUC.schema)

SO_TU_PHAP, UBND_CAM_LAM = "SO_TU_PHAP", "UBND_H_CAM_LAM"
UBND_BAC_NHA_TRANG = "UBND_P_BAC_NHA_TRANG"
LOAD_JUNE = "ho_so_20250601T0000_20250701T0000"
LOAD_JULY = "ho_so_20250701T0000_20250801T0000"
LOAD_AUGUST = "ho_so_20250801T0000_20250901T0000"
LOAD_SEPTEMBER = "ho_so_20250901T0000_20251001T0000"


def t(text: str) -> datetime:
    return datetime.fromisoformat(text)


def dossier(dossier_id: str, agency: str, level: str, unit: str, channel: str, **kw) -> dict:
    """The fields of a dossier that do not change with its state."""
    return {
        "MaHoSo": dossier_id, "MaTTHC": "1.000" + dossier_id[-2:], "TenTTHC": "Cấp bản sao",
        "MaLinhVuc": "CHUNG_THUC", "TenLinhVuc": "Chứng thực", "MaCoQuan": agency,
        "CapThucHien": level, "MaDVHC": unit, "KenhNop": channel, "MucDo": "TOAN_TRINH",
        "ThanhToanTrucTuyen": False, "PhiLePhi": 0, "DaSoHoa": False,
        "ChuHoSoHash": sha256(dossier_id.encode()).hexdigest(), **kw,
    }  # fmt: skip


def state(base: dict, updated: str, status: str, resolved: str | None = None, **kw) -> dict:
    """One record of the change stream: the dossier as it was at ``updated``."""
    done = t(resolved) if resolved else None
    return {
        **base, "NgayCapNhat": t(updated), "TrangThai": status, "NgayKetThucXuLy": done,
        "NgayTraKetQua": done, "DanhGiaHaiLong": None, **kw,
    }  # fmt: skip


# D1 Ninh Thuận commune, online, digitised, fee paid online; resolved on time in June, 5 stars.
D1 = dossier("H58.25-000001", SO_TU_PHAP, "XA", "22783", "TRUC_TUYEN", DaSoHoa=True,
             PhiLePhi=50_000, ThanhToanTrucTuyen=True,
             NgayTiepNhan=t("2025-06-03T09:00"), NgayHenTra=t("2025-06-10T17:00"))  # fmt: skip
# D2 old Khánh Hòa commune, in person; open past due at the end of June, rejected late in July.
D2 = dossier("H56.25-000002", SO_TU_PHAP, "XA", "22465", "TRUC_TIEP",
             NgayTiepNhan=t("2025-06-20T08:00"), NgayHenTra=t("2025-06-25T17:00"))  # fmt: skip
# D6 province-level (unit 58), resolved exactly at its due time: on time.
D6 = dossier("H58.25-000006", SO_TU_PHAP, "TINH", "58", "TRUC_TIEP",
             NgayTiepNhan=t("2025-06-15T10:00"), NgayHenTra=t("2025-06-30T17:00"))  # fmt: skip
# D7 old district Cam Lâm, digitised, resolved late in June, not rated.
D7 = dossier("H56.25-000007", UBND_CAM_LAM, "HUYEN", "570", "TRUC_TIEP", DaSoHoa=True,
             NgayTiepNhan=t("2025-06-10T08:00"), NgayHenTra=t("2025-06-12T17:00"))  # fmt: skip
# D3 new ward, by post, withdrawn after its due time in July: closed, never overdue at a month end.
D3 = dossier("H56.25-000003", UBND_BAC_NHA_TRANG, "XA", "22333", "BUU_CHINH",
             NgayTiepNhan=t("2025-07-02T08:00"), NgayHenTra=t("2025-07-05T17:00"))  # fmt: skip
# D4 new ward, online, digitised, fee not paid online; open past due at the end of July.
D4 = dossier("H56.25-000004", UBND_BAC_NHA_TRANG, "XA", "22333", "TRUC_TUYEN", DaSoHoa=True,
             PhiLePhi=20_000, NgayTiepNhan=t("2025-07-10T08:00"),
             NgayHenTra=t("2025-07-20T17:00"))  # fmt: skip
# D5 new ward, online, fee paid online; resolved on time in July, 4 stars.
D5 = dossier("H56.25-000005", UBND_BAC_NHA_TRANG, "XA", "22333", "TRUC_TUYEN",
             PhiLePhi=10_000, ThanhToanTrucTuyen=True, NgayTiepNhan=t("2025-07-03T08:00"),
             NgayHenTra=t("2025-07-10T17:00"))  # fmt: skip
# D8 (August load) new ward, online, resolved on time in August, 5 stars.
D8 = dossier("H56.25-000008", UBND_BAC_NHA_TRANG, "XA", "22333", "TRUC_TUYEN",
             NgayTiepNhan=t("2025-08-10T08:00"), NgayHenTra=t("2025-08-20T17:00"))  # fmt: skip
# D9 Ninh Thuận commune, received and resolved (late) in June, 3 stars: missing from the
# first June load, delivered when the June window is re-run.
D9 = dossier("H58.25-000009", SO_TU_PHAP, "XA", "22783", "TRUC_TUYEN",
             NgayTiepNhan=t("2025-06-05T08:00"), NgayHenTra=t("2025-06-06T17:00"))  # fmt: skip

D1_DONE = state(D1, "2025-06-09T10:00", "DA_TRA_KET_QUA", "2025-06-09T10:00", DanhGiaHaiLong=5)
JUNE = [
    state(D1, "2025-06-03T09:00", "DANG_XU_LY"),
    D1_DONE,
    D1_DONE,  # a repeated page: the identical record twice in one load
    state(D2, "2025-06-20T08:00", "DANG_XU_LY"),
    state(D6, "2025-06-15T10:00", "DANG_XU_LY"),
    state(D6, "2025-06-30T17:00", "DA_TRA_KET_QUA", "2025-06-30T17:00"),
    state(D7, "2025-06-10T08:00", "DANG_XU_LY"),
    state(D7, "2025-06-13T16:00", "DA_TRA_KET_QUA", "2025-06-13T16:00"),
]
JULY = [
    D1_DONE,  # an overlapping window repeats June's record
    state(D2, "2025-07-05T11:00", "TU_CHOI", "2025-07-05T11:00", DanhGiaHaiLong=2),
    state(D3, "2025-07-02T08:00", "DANG_XU_LY"),
    state(D3, "2025-07-10T09:00", "RUT_HO_SO"),
    state(D4, "2025-07-10T08:00", "DANG_XU_LY"),
    state(D4, "2025-07-15T08:00", "BO_SUNG"),
    state(D5, "2025-07-03T08:00", "DANG_XU_LY"),
    state(D5, "2025-07-08T15:00", "DA_TRA_KET_QUA", "2025-07-08T15:00", DanhGiaHaiLong=4),
]
AUGUST = [
    state(D4, "2025-08-05T09:00", "DA_TRA_KET_QUA", "2025-08-05T09:00", DanhGiaHaiLong=4),
    state(D8, "2025-08-10T08:00", "DANG_XU_LY"),
    state(D8, "2025-08-12T08:00", "DA_TRA_KET_QUA", "2025-08-12T08:00", DanhGiaHaiLong=5),
]
JUNE_MISSED = [
    state(D9, "2025-06-05T08:00", "DANG_XU_LY"),
    state(D9, "2025-06-07T08:00", "DA_TRA_KET_QUA", "2025-06-07T08:00", DanhGiaHaiLong=3),
]
# D10 (September load) new ward, received in September, still open.
D10 = dossier("H56.25-000010", UBND_BAC_NHA_TRANG, "XA", "22333", "TRUC_TUYEN",
              NgayTiepNhan=t("2025-09-08T08:00"), NgayHenTra=t("2025-09-30T17:00"))  # fmt: skip
SEPTEMBER = [
    # D2 corrected after it was closed: received on 28 May, resolved on 24 June, on time
    # (it stood as received in June, open past due at June's end, rejected in July)
    state({**D2, "NgayTiepNhan": t("2025-05-28T08:00")}, "2025-09-03T10:00", "DA_TRA_KET_QUA",
          "2025-06-24T10:00"),
    state(D10, "2025-09-08T08:00", "DANG_XU_LY"),
    # D4 resolved on 1 August, sent late: its first close moves before its 5 August record
    state(D4, "2025-08-01T09:00", "DA_TRA_KET_QUA", "2025-08-01T09:00"),
]  # fmt: skip
CATALOG = [
    {"MaTTHC": "1.00001", "TenTTHC": "Cấp bản sao từ sổ gốc", "MaLinhVuc": "CHUNG_THUC",
     "CapThucHien": "XA", "MucDo": "TOAN_TRINH"},
    {"MaTTHC": "1.00002", "TenTTHC": "Chứng thực chữ ký", "MaLinhVuc": "CHUNG_THUC",
     "CapThucHien": "XA", "MucDo": "MOT_PHAN"},
]  # fmt: skip


def write_load(
    lake: Path, dataset: str, load_id: str, records: list[dict], extracted_at: datetime
) -> Path:
    """Write (or replace) one load folder the way the lake writer does."""
    schema = HO_SO_SCHEMA if dataset == "ho_so" else THU_TUC_SCHEMA
    rows = [
        {**r, "_load_id": load_id, "_extracted_at": extracted_at, "_source_ref": f"GET p={i}"}
        for i, r in enumerate(records)
    ]
    folder = lake / "dichvucong" / dataset / f"load_id={load_id}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "part-00000.parquet"
    pq.write_table(pa.Table.from_pylist(rows, schema), path)
    return path


def write_initial_lake(lake: Path) -> None:
    """Loads June and July (extracted just after each window) and one catalog snapshot."""
    write_load(lake, "ho_so", LOAD_JUNE, JUNE, t("2025-07-01T01:00"))
    write_load(lake, "ho_so", LOAD_JULY, JULY, t("2025-08-01T01:00"))
    write_load(lake, "thu_tuc", "thu_tuc_20250801T0100", CATALOG, t("2025-08-01T01:00"))
