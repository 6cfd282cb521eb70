"""Fast JSON for pages of dossier records.

Clean records are rendered with one %-template from pre-serialised fragments (procedure and
agency parts are encoded once by orjson) and values from our own tables, which hold no
character JSON would need to escape. Records with overridden values (the malformed-value and
unknown-code faults) take the slow path: a dict encoded by orjson. Both paths give the same
document shape.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import orjson

from simulator.clock import DAY, REFORM_SEC
from simulator.dichvucong.calendar import LAST_DAY
from simulator.dichvucong.people import Lexicon, lexicon, owner_parts, street_part
from simulator.dichvucong.serialize import columns, rows_of
from simulator.dichvucong.tables import CHANNELS, STATES
from simulator.dichvucong.window import WindowRecords
from simulator.dichvucong.world import DossierWorld

TEMPLATE = (
    b'{"MaHoSo":"%s-%s",%s,%s,"KenhNop":"%s","MucDo":"%s","NgayTiepNhan":"%sT%s+07:00",'
    b'"NgayHenTra":"%sT%s+07:00","NgayKetThucXuLy":%s,"NgayTraKetQua":%s,"TrangThai":"%s",'
    b'"ThanhToanTrucTuyen":%s,"PhiLePhi":%s,"DaSoHoa":%s,"DanhGiaHaiLong":%s,'
    b'"ChuHoSo":{"HoTen":"%s %s %s","SoGiayTo":"0%s%s%s%s","SoDienThoai":"%s%s%s",'
    b'"DiaChi":"%s%s"},"NgayCapNhat":"%sT%s+07:00"}'
)  # every slot is bytes: %s of bytes is twice as fast as %d


def _b(values: tuple[str, ...] | list[str]) -> np.ndarray:
    return np.array([v.encode() for v in values], dtype=object)


_BOOL = _b(["false", "true"])
_RATING = _b(["null", "1", "2", "3", "4", "5"])
_CHANNELS = _b(CHANNELS)
_STATES = _b(STATES)
_DIGIT = _b([str(i) for i in range(10)])
_PAD2 = _b([f"{i:02d}" for i in range(100)])


@dataclass(frozen=True)
class Fragments:
    """Pre-encoded UTF-8 pieces of records."""

    proc: np.ndarray  # b'"MaTTHC":..,"TenTTHC":..,"MaLinhVuc":..,"TenLinhVuc":..' per procedure
    mode: np.ndarray
    agency: np.ndarray  # b'"MaCoQuan":..,"CapThucHien":..,"MaDVHC":..' per agency
    old_province: np.ndarray  # per place, str
    new_province: str
    lexicon: Lexicon
    dates: np.ndarray  # b"2024-03-05" per day number
    clock: np.ndarray  # b"09:12:33" per second of the day
    pad6: np.ndarray  # b"000123" per number below 1,000,000 (dtype S6)


def fragments(world: DossierWorld) -> Fragments:
    pt = world.pt

    def inner(d: dict) -> bytes:
        return orjson.dumps(d)[1:-1]

    proc = [
        inner({"MaTTHC": c, "TenTTHC": n, "MaLinhVuc": fc, "TenLinhVuc": fn})
        for c, n, fc, fn in zip(pt.code, pt.name, pt.field_code, pt.field_name, strict=True)
    ]
    agency = [
        inner({"MaCoQuan": a.code, "CapThucHien": a.level, "MaDVHC": a.unit_code})
        for a in world.ct.agencies
    ]
    return Fragments(
        proc=np.array(proc, dtype=object),
        mode=_b(pt.mode),
        agency=np.array(agency, dtype=object),
        old_province=np.array(world.units.province_code, dtype=object),
        new_province=world.units.new_province_code,
        lexicon=lexicon(world.owners, as_bytes=True),
        dates=np.array(
            np.datetime_as_string(np.arange(LAST_DAY + 400).astype("datetime64[D]"))
            .astype("S10")
            .tolist(),
            dtype=object,
        ),
        clock=np.array(
            [b"%02d:%02d:%02d" % (s // 3600, s // 60 % 60, s % 60) for s in range(DAY)],
            dtype=object,
        ),
        pad6=_zero_padded(1_000_000, 6),
    )


def _zero_padded(n: int, width: int) -> np.ndarray:
    """b"000000" .. for 0..n-1, as a fixed-width bytes array (tolist() gives bytes)."""
    digits = np.arange(n)[:, None] // 10 ** np.arange(width - 1, -1, -1) % 10 + ord("0")
    return np.ascontiguousarray(digits.astype(np.uint8)).view(f"S{width}").ravel()


def _date_clock(frag: Fragments, sec: np.ndarray) -> tuple[list[bytes], list[bytes]]:
    """Date and time-of-day texts of local seconds (for the template's "%sT%s+07:00")."""
    return frag.dates[sec // DAY].tolist(), frag.clock[sec % DAY].tolist()


def _nullable(frag: Fragments, sec: np.ndarray) -> list[bytes]:
    ok = np.maximum(sec, 0)
    quoted = b'"' + frag.dates[ok // DAY] + b"T" + frag.clock[ok % DAY] + b'+07:00"'
    return np.where(sec < 0, b"null", quoted).tolist()


def _fees(fee: np.ndarray) -> list[bytes]:
    uniq, inverse = np.unique(fee, return_inverse=True)
    return np.array([b"%d" % f for f in uniq.tolist()], dtype=object)[inverse].tolist()


def _id_prefix(frag: Fragments, w: WindowRecords, rows: np.ndarray) -> list[bytes]:
    """b'H<province at receipt>.<yy>-<yymmdd>' per record (the MaHoSo before its sequence)."""
    prov = np.where(w.recv[rows] < REFORM_SEC, frag.old_province[w.place[rows]], frag.new_province)
    key = w.day[rows] * 100 + prov.astype(np.int64)
    uniq, inverse = np.unique(key, return_inverse=True)
    ymd = np.datetime_as_string((uniq // 100).astype("datetime64[D]"), unit="D").tolist()
    pre = np.array(
        [
            f"H{k % 100:02d}.{d[2:4]}-{d[2:4]}{d[5:7]}{d[8:10]}".encode()
            for k, d in zip(uniq.tolist(), ymd, strict=True)
        ],
        dtype=object,
    )
    return pre[inverse].tolist()


def records_json(
    world: DossierWorld,
    frag: Fragments,
    w: WindowRecords,
    rows: np.ndarray,
    overrides: dict[int, dict[str, object]] | None = None,
) -> list[bytes]:
    """JSON of each record of ``rows``; ``overrides`` maps a position in ``rows`` to the field
    values to send instead of the true ones."""
    proc = w.proc[rows].astype(np.int64)
    o = owner_parts(world.seed, w.owner[rows], w.updated[rows] >= REFORM_SEC, world.owners)
    lx = frag.lexicon
    slots = (
        _id_prefix(frag, w, rows),
        frag.pad6[w.seq[rows] + 1].tolist(),
        frag.proc[proc].tolist(),
        frag.agency[w.agency[rows]].tolist(),
        _CHANNELS[w.channel[rows]].tolist(),
        frag.mode[proc].tolist(),
        *_date_clock(frag, w.recv[rows]),
        *_date_clock(frag, w.due[rows]),
        _nullable(frag, w.ended[rows]),
        _nullable(frag, w.returned[rows]),
        _STATES[w.state[rows]].tolist(),
        _BOOL[w.paid_online[rows].astype(np.int64)].tolist(),
        _fees(w.fee[rows]),
        _BOOL[w.digitised[rows].astype(np.int64)].tolist(),
        _RATING[w.rating[rows]].tolist(),
        lx.families[o.family].tolist(),
        lx.middles[o.middle].tolist(),
        lx.givens[o.given].tolist(),
        o.province.astype("S2").tolist(),
        _DIGIT[o.century].tolist(),
        _PAD2[o.yy].tolist(),
        frag.pad6[o.serial].tolist(),
        lx.phone_prefix[o.phone_prefix].tolist(),
        frag.pad6[o.phone // 10].tolist(),
        _DIGIT[o.phone % 10].tolist(),
        street_part(o, lx).tolist(),
        lx.tails[o.tail].tolist(),
        *_date_clock(frag, w.updated[rows]),
    )
    out = [TEMPLATE % t for t in zip(*slots, strict=True)]
    for pos, values in (overrides or {}).items():
        row = rows_of(columns(world, w, rows[pos : pos + 1]))[0]
        row.update(values)
        out[pos] = orjson.dumps(row)
    return out


def page_bytes(
    records: list[bytes], page: int, page_size: int, total: int, total_pages: int
) -> bytes:
    tail = f'],"page":{page},"page_size":{page_size},"total":{total},"total_pages":{total_pages}}}'
    return b'{"data":[' + b",".join(records) + tail.encode()
