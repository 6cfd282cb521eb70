"""Turn window records into the source's fields: JSON-ready rows and an Arrow table."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from simulator.clock import REFORM_SEC, iso_strings
from simulator.dichvucong.people import owners
from simulator.dichvucong.tables import CHANNELS, LEVELS, STATES
from simulator.dichvucong.window import WindowRecords
from simulator.dichvucong.world import DossierWorld

FIELDS = (
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
    "NgayTiepNhan",
    "NgayHenTra",
    "NgayKetThucXuLy",
    "NgayTraKetQua",
    "TrangThai",
    "ThanhToanTrucTuyen",
    "PhiLePhi",
    "DaSoHoa",
    "DanhGiaHaiLong",
    "ChuHoSo",
    "NgayCapNhat",
)
OWNER_FIELDS = ("HoTen", "SoGiayTo", "SoDienThoai", "DiaChi")


def dossier_ids(world: DossierWorld, w: WindowRecords, rows: np.ndarray) -> list[str]:
    """MaHoSo: H<province at receipt>.<yy>-<yymmdd>-<sequence in the day>."""
    place = w.place[rows].astype(np.int64)
    old = np.array(world.units.province_code, dtype=object)[place]
    prov = np.where(w.recv[rows] < REFORM_SEC, old, world.units.new_province_code)
    ymd = np.datetime_as_string(w.day[rows].astype("datetime64[D]"), unit="D")
    return [
        f"H{p}.{d[2:4]}-{d[2:4]}{d[5:7]}{d[8:10]}-{s + 1:06d}"
        for p, d, s in zip(prov.tolist(), ymd.tolist(), w.seq[rows].tolist(), strict=True)
    ]


def _categorical(world: DossierWorld, w: WindowRecords, rows: np.ndarray) -> dict:
    """Fields that take values from a small table: field -> (table, index per row)."""
    pt, ct = world.pt, world.ct
    proc = w.proc[rows].astype(np.int64)
    return {
        "MaTTHC": (pt.code, proc),
        "TenTTHC": (pt.name, proc),
        "MaLinhVuc": (pt.field_code, proc),
        "TenLinhVuc": (pt.field_name, proc),
        "MaCoQuan": (np.array([a.code for a in ct.agencies], dtype=object), w.agency[rows]),
        "CapThucHien": (np.array(LEVELS, dtype=object), w.level[rows]),
        "MaDVHC": (np.array(ct.unit_codes, dtype=object), w.unit[rows]),
        "KenhNop": (np.array(CHANNELS, dtype=object), w.channel[rows]),
        "MucDo": (pt.mode, proc),
        "TrangThai": (np.array(STATES, dtype=object), w.state[rows]),
    }


def _seconds(w: WindowRecords, rows: np.ndarray) -> dict[str, np.ndarray]:
    """Time fields as local seconds, -1 = null."""
    return {
        "NgayTiepNhan": w.recv[rows],
        "NgayHenTra": w.due[rows],
        "NgayKetThucXuLy": w.ended[rows],
        "NgayTraKetQua": w.returned[rows],
        "NgayCapNhat": w.updated[rows],
    }


def _times(sec: np.ndarray) -> list[str | None]:
    text = iso_strings(np.where(sec < 0, 0, sec))
    if (sec >= 0).all():
        return text
    return [t if ok else None for t, ok in zip(text, (sec >= 0).tolist(), strict=True)]


def _owners(world: DossierWorld, w: WindowRecords, rows: np.ndarray) -> dict[str, list[str]]:
    return owners(world.seed, w.owner[rows], w.updated[rows] >= REFORM_SEC, world.owners)


def columns(
    world: DossierWorld, w: WindowRecords, rows: np.ndarray, owner: bool = True
) -> dict[str, list]:
    """Python values per source field for ``rows`` (ChuHoSo as a list of dicts)."""
    cols: dict[str, list] = {"MaHoSo": dossier_ids(world, w, rows)}
    cols |= {f: table[idx].tolist() for f, (table, idx) in _categorical(world, w, rows).items()}
    cols |= {f: _times(sec) for f, sec in _seconds(w, rows).items()}
    cols["ThanhToanTrucTuyen"] = w.paid_online[rows].tolist()
    cols["PhiLePhi"] = w.fee[rows].tolist()
    cols["DaSoHoa"] = w.digitised[rows].tolist()
    cols["DanhGiaHaiLong"] = [r or None for r in w.rating[rows].tolist()]
    if owner:
        o = _owners(world, w, rows)
        cols["ChuHoSo"] = [
            dict(zip(OWNER_FIELDS, v, strict=True))
            for v in zip(*(o[f] for f in OWNER_FIELDS), strict=True)
        ]
    return cols


def rows_of(cols: dict[str, list]) -> list[dict]:
    names = [f for f in FIELDS if f in cols]
    return [dict(zip(names, v, strict=True)) for v in zip(*(cols[f] for f in names), strict=True)]


def arrow_table(world: DossierWorld, w: WindowRecords, owner: bool = True) -> pa.Table:
    """The window as Arrow: times naive local ``timestamp[us]``, ChuHoSo a struct column."""
    rows = np.arange(w.n)
    data: dict[str, pa.Array] = {"MaHoSo": pa.array(dossier_ids(world, w, rows), pa.string())}
    for f, (table, idx) in _categorical(world, w, rows).items():
        values = pa.array(table.tolist(), pa.string())
        data[f] = pa.DictionaryArray.from_arrays(pa.array(idx, pa.int32()), values).cast(
            pa.string()
        )
    for f, sec in _seconds(w, rows).items():
        data[f] = pa.array(sec * 1_000_000, pa.int64(), mask=sec < 0).cast(pa.timestamp("us"))
    data["ThanhToanTrucTuyen"] = pa.array(w.paid_online, pa.bool_())
    data["PhiLePhi"] = pa.array(w.fee, pa.int64())
    data["DaSoHoa"] = pa.array(w.digitised, pa.bool_())
    data["DanhGiaHaiLong"] = pa.array(w.rating.astype(np.int8), pa.int8(), mask=w.rating == 0)
    if owner:
        o = _owners(world, w, rows)
        data["ChuHoSo"] = pa.StructArray.from_arrays(
            [pa.array(o[k], pa.string()) for k in OWNER_FIELDS], OWNER_FIELDS
        )
    return pa.table({f: data[f] for f in FIELDS if f in data})
