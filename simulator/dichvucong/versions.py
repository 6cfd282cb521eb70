"""Dossier records that come again (switchable faults), decided per record by (fault seed,
record key), the same on every request:

- ``revision_rate``: a dossier closed with a result (DA_TRA_KET_QUA or TU_CHOI) is revised
  ``REVISED_AFTER`` later: its final record sent again with that newer NgayCapNhat and the
  other of the two states. It belongs to the window holding the new time and is sent at the
  end of that window's last page (a later load than the one that closed the dossier).
- ``stale_copy_rate``: after a final record, an older copy of it (NgayCapNhat
  ``STALE_BEFORE`` earlier, within the window; state DANG_XU_LY, no result, no rating) in
  the same page: the newest must win, not the last seen.
- ``repeat_rate``: the record again, byte for byte, right after it (no effect).
- ``conflict_rate``: a copy with the same NgayCapNhat and DaSoHoa flipped, right after it:
  two different contents, neither newer.

A test recomputes what counts from the pages as served (the simulator is the outside world).
"""

from __future__ import annotations

import numpy as np
import orjson

from simulator.clock import DAY, iso_strings
from simulator.dichvucong.serialize import columns, rows_of
from simulator.dichvucong.tables import STATES
from simulator.dichvucong.window import EV_FINAL, WindowRecords
from simulator.dichvucong.world import DossierWorld
from simulator.faults import FaultConfig
from simulator.hashing import uniform

REVISED_AFTER = 20 * DAY
STALE_BEFORE = 2 * DAY
REVISED_STATE = {"DA_TRA_KET_QUA": "TU_CHOI", "TU_CHOI": "DA_TRA_KET_QUA"}


def _hit(cfg: FaultConfig, name: str, keys: np.ndarray) -> np.ndarray:
    rate = getattr(cfg, f"{name}_rate")
    if not rate or len(keys) == 0:
        return np.zeros(len(keys), bool)
    return uniform(cfg.seed, f"dichvucong-{name}", keys) < rate


def _record(world: DossierWorld, w: WindowRecords, row: int) -> dict:
    return rows_of(columns(world, w, np.array([row])))[0]


def with_copies(
    world: DossierWorld, w: WindowRecords, rows: np.ndarray, recs: list[bytes], cfg: FaultConfig
) -> list[bytes]:
    """The page's records with the stale copies, repeats and conflicts the faults add."""
    if not (cfg.stale_copy_rate or cfg.repeat_rate or cfg.conflict_rate) or len(rows) == 0:
        return recs
    keys = w.keys()[rows]
    final = w.event[rows] == EV_FINAL
    stale = _hit(cfg, "stale_copy", keys) & final & (w.updated[rows] - STALE_BEFORE >= w.lo)
    repeat, conflict = _hit(cfg, "repeat", keys), _hit(cfg, "conflict", keys)
    out: list[bytes] = []
    for pos, rec in enumerate(recs):
        out.append(rec)
        if repeat[pos]:
            out.append(rec)
        if conflict[pos]:
            other = _record(world, w, int(rows[pos]))
            other["DaSoHoa"] = not other["DaSoHoa"]
            out.append(orjson.dumps(other))
        if stale[pos]:
            older = _record(world, w, int(rows[pos]))
            older["NgayCapNhat"] = iso_strings(np.array([w.updated[rows[pos]] - STALE_BEFORE]))[0]
            older |= {"TrangThai": "DANG_XU_LY", "NgayKetThucXuLy": None}
            older |= {"NgayTraKetQua": None, "DanhGiaHaiLong": None}
            out.append(orjson.dumps(older))
    return out


def revisions(world: DossierWorld, lo: int, hi: int, cfg: FaultConfig) -> list[bytes]:
    """Revised final records whose new time falls in [lo, hi)."""
    if not cfg.revision_rate or hi <= lo:
        return []
    before = world.window(lo - REVISED_AFTER, hi - REVISED_AFTER)
    closed = np.isin(before.state, [STATES.index(s) for s in REVISED_STATE])
    hit = (before.event == EV_FINAL) & closed & _hit(cfg, "revision", before.keys())
    hit &= before.updated + REVISED_AFTER < world.window(lo, hi).hi
    out = []
    for row in np.flatnonzero(hit).tolist():
        record = _record(world, before, row)
        record["TrangThai"] = REVISED_STATE[record["TrangThai"]]
        record["NgayCapNhat"] = iso_strings(np.array([before.updated[row] + REVISED_AFTER]))[0]
        out.append(orjson.dumps(record))
    return out
