"""Records changed within a window [lo, hi): selection, canonical order, and record codes.

A dossier yields one record per state change: event 0 = received (DANG_XU_LY), 1 = supplement
requested (BO_SUNG), 2 = final (DA_TRA_KET_QUA / TU_CHOI / RUT_HO_SO). The canonical order of a
window is (NgayCapNhat, receipt day, sequence in the day, event): a total order that does not
depend on how the window was asked for, so pages are stable and the records of any split of a
window, concatenated, are the whole window in the same order.
Codes (MaDVHC, MaCoQuan, CapThucHien) follow the record's own date (NgayCapNhat).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.clock import DEPT_MERGE_SEC, REFORM_SEC
from simulator.dichvucong.generator import DONE, WITHDRAWN, DayCore
from simulator.dichvucong.tables import HUYEN, TINH, XA, CodeTables, ProcTables

EV_RECEIVED, EV_SUPPLEMENT, EV_FINAL = 0, 1, 2
STATE_OF_OUTCOME = np.array([2, 3, 4], dtype=np.int8)  # DONE, REJECTED, WITHDRAWN -> STATES


@dataclass(frozen=True)
class WindowRecords:
    """Column arrays of the records of one window, in canonical order."""

    lo: int
    hi: int
    day: np.ndarray
    seq: np.ndarray
    event: np.ndarray
    proc: np.ndarray
    place: np.ndarray
    owner: np.ndarray
    channel: np.ndarray
    recv: np.ndarray
    due: np.ndarray
    ended: np.ndarray  # NgayKetThucXuLy or -1
    returned: np.ndarray  # NgayTraKetQua or -1
    state: np.ndarray  # index into STATES
    fee: np.ndarray
    paid_online: np.ndarray
    digitised: np.ndarray
    rating: np.ndarray  # 0 = null
    updated: np.ndarray  # NgayCapNhat
    level: np.ndarray  # index into LEVELS, as of the record's date
    unit: np.ndarray  # index into CodeTables.unit_codes
    agency: np.ndarray  # index into CodeTables.agencies

    @property
    def n(self) -> int:
        return len(self.day)

    def keys(self) -> np.ndarray:
        """A unique int64 per record (day, seq, event), stable across windows."""
        return (self.day.astype(np.int64) << 24 | self.seq.astype(np.int64)) << 2 | self.event


def _select_day(core: DayCore, lo: int, hi: int) -> tuple[np.ndarray, np.ndarray]:
    seq = np.arange(core.n, dtype=np.int64)
    parts = [
        (seq[(core.recv >= lo) & (core.recv < hi)], EV_RECEIVED),
        (seq[(core.supplement >= lo) & (core.supplement < hi)], EV_SUPPLEMENT),
        (seq[(core.final >= lo) & (core.final < hi)], EV_FINAL),
    ]
    s = np.concatenate([p[0] for p in parts])
    e = np.concatenate([np.full(len(p[0]), p[1], dtype=np.int8) for p in parts])
    order = np.lexsort((e, s))
    return s[order], e[order]


def select(cores: list[DayCore], lo: int, hi: int, pt: ProcTables, ct: CodeTables) -> WindowRecords:
    cols: dict[str, list[np.ndarray]] = {}
    for core in cores:
        s, e = _select_day(core, lo, hi)
        final = e == EV_FINAL
        resolved = final & (core.outcome[s] != WITHDRAWN)
        updated = np.select(
            [e == EV_RECEIVED, e == EV_SUPPLEMENT],
            [core.recv[s], core.supplement[s]],
            core.final[s],
        )
        picked = {
            "day": np.full(len(s), core.day, dtype=np.int64),
            "seq": s,
            "event": e,
            "proc": core.proc[s],
            "place": core.place[s],
            "owner": core.owner[s],
            "channel": core.channel[s],
            "recv": core.recv[s],
            "due": core.due[s],
            "ended": np.where(resolved, core.end[s], -1),
            "returned": np.where(resolved, core.final[s], -1),
            "state": np.where(final, STATE_OF_OUTCOME[core.outcome[s]], e).astype(np.int8),
            "fee": core.fee[s],
            "paid_online": core.paid_online[s],
            "digitised": core.digitised[s],
            "rating": np.where(final & (core.outcome[s] == DONE), core.rating[s], 0),
            "updated": updated,
        }
        for k, v in picked.items():
            cols.setdefault(k, []).append(v)
    arrays = {k: np.concatenate(v) for k, v in cols.items()} if cols else _empty()
    # A change feed: by update time, ties by (day, seq, event); independent of the window.
    order = np.lexsort((arrays["event"], arrays["seq"], arrays["day"], arrays["updated"]))
    arrays = {k: v[order] for k, v in arrays.items()}
    arrays.update(_codes(arrays, pt, ct))
    return WindowRecords(lo=lo, hi=hi, **arrays)


def _empty() -> dict[str, np.ndarray]:
    names = (
        "day",
        "seq",
        "event",
        "proc",
        "place",
        "owner",
        "channel",
        "recv",
        "due",
        "ended",
        "returned",
        "state",
        "fee",
        "paid_online",
        "digitised",
        "rating",
        "updated",
    )
    return {k: np.zeros(0, dtype=np.int64) for k in names}


def _codes(a: dict[str, np.ndarray], pt: ProcTables, ct: CodeTables) -> dict[str, np.ndarray]:
    proc, place, updated = a["proc"].astype(np.int64), a["place"].astype(np.int64), a["updated"]
    after = updated >= REFORM_SEC
    period = np.where(after, 2, np.where(updated >= DEPT_MERGE_SEC, 1, 0))
    lvl = pt.level[proc]
    level = np.where(after & (lvl == HUYEN), XA, lvl).astype(np.int8)
    local_unit = np.where(lvl == HUYEN, ct.place_district[place], ct.place_old_commune[place])
    unit = np.where(
        lvl == TINH,
        np.where(after, ct.new_province, ct.place_old_province[place]),
        np.where(after, ct.place_new_commune[place], local_unit),
    )
    dept = ct.ag_dept[proc, period, ct.place_old_index[place]]
    local_agency = np.where(lvl == HUYEN, ct.ag_district[place], ct.ag_old_commune[place])
    agency = np.where(lvl == TINH, dept, np.where(after, ct.ag_new_commune[place], local_agency))
    return {"level": level, "unit": unit.astype(np.int32), "agency": agency.astype(np.int32)}
