"""Dossiers received on one day: vectorised, deterministic from (seed, day, scale).

Each day has its own random stream, so any day can be generated alone, in any order.
A dossier's life (receipt -> maybe supplement request -> result / rejection / withdrawal)
is capped at MAX_SPAN_DAYS, so a window of updates only needs the days received within
LOOKBACK_DAYS before it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from simulator.clock import DAY
from simulator.dichvucong.calendar import (
    BUSINESS,
    busday_offset,
    online_target,
    progress,
)
from simulator.dichvucong.people import PLACE_STRIDE
from simulator.dichvucong.tables import TINH, CodeTables, ProcTables
from simulator.holidays import DAYS_OFF_NP

SOURCE_SALT = 0xD1C7  # "dichvucong"
MAX_SPAN_DAYS = 150  # receipt -> last update, always below this
LATE_CAP_DAYS = 130
H = 3600
LOOKUP = 1 << 16
DAYS_OFF_SET = frozenset(DAYS_OFF_NP.astype(np.int64).tolist())
DONE, REJECTED, WITHDRAWN = 0, 1, 2
_RATING_CUM_ON_TIME = np.array([0.01, 0.025, 0.075, 0.295, 1.0])
_RATING_CUM_LATE = np.array([0.10, 0.20, 0.40, 0.70, 1.0])


@dataclass(frozen=True)
class DayCore:
    """All dossiers received on ``day``; times are local seconds, -1 where absent."""

    day: int
    proc: np.ndarray
    place: np.ndarray
    owner: np.ndarray
    channel: np.ndarray  # index into CHANNELS
    recv: np.ndarray
    due: np.ndarray
    supplement: np.ndarray  # BO_SUNG request time or -1
    end: np.ndarray  # NgayKetThucXuLy, or the withdrawal time for WITHDRAWN
    final: np.ndarray  # NgayCapNhat of the last record (= NgayTraKetQua unless withdrawn)
    outcome: np.ndarray  # DONE / REJECTED / WITHDRAWN
    fee: np.ndarray
    paid_online: np.ndarray
    digitised: np.ndarray
    rating: np.ndarray  # 1..5, 0 = not rated

    @property
    def n(self) -> int:
        return len(self.proc)


@dataclass(frozen=True)
class World:
    """What a day's generation needs besides the day itself."""

    seed: int
    scale: float
    intensity: np.ndarray  # expected dossiers per day at scale 1, from first_day
    first_day: int
    place_pop: np.ndarray
    pt: ProcTables
    ct: CodeTables
    proc_lookup: np.ndarray  # (12, LOOKUP): uniform bucket -> procedure, by month
    proc_lookup_off: np.ndarray  # the same on days off
    place_lookup: np.ndarray  # (LOOKUP,): uniform bucket -> place


def lookup(weights: np.ndarray) -> np.ndarray:
    """A table mapping LOOKUP equal buckets of [0, 1) to indices drawn with ``weights``."""
    cum = np.cumsum(weights) / np.sum(weights)
    centres = (np.arange(LOOKUP) + 0.5) / LOOKUP
    return np.minimum(np.searchsorted(cum, centres, side="right"), len(cum) - 1).astype(np.int16)


def generate_day(w: World, day: int) -> DayCore:
    rng = np.random.default_rng([w.seed, SOURCE_SALT, day])
    idx = day - w.first_day
    lam = w.intensity[idx] * w.scale if 0 <= idx < len(w.intensity) else 0.0
    n = int(rng.poisson(lam))
    pt, ct = w.pt, w.ct
    weekday = (day + 3) % 7
    off = weekday == 6 or day in DAYS_OFF_SET  # Sundays and holidays: counters closed
    month = int(np.datetime64(day, "D").astype("datetime64[M]").astype(np.int64) % 12)
    t0 = day * DAY
    prog = float(progress(t0 + 12 * H))
    days = np.full(n, day, dtype=np.int64)

    proc_table = (w.proc_lookup_off if off else w.proc_lookup)[month]
    proc = proc_table[(rng.random(n) * LOOKUP).astype(np.int64)]
    place = w.place_lookup[(rng.random(n) * LOOKUP).astype(np.int64)]
    owner = place.astype(np.int64) * PLACE_STRIDE + (rng.random(n) * w.place_pop[place]).astype(
        np.int64
    )
    level = pt.level[proc]

    p_online = np.clip(float(online_target(t0 + 12 * H)) * pt.online_aff[proc], 0.0, 0.97)
    online = (rng.random(n) < p_online) | off
    postal = ~online & (rng.random(n) < np.where(level == TINH, 0.03, 0.005))
    channel = np.where(online, 1, np.where(postal, 2, 0)).astype(np.int8)

    u1, u2 = rng.random(n), rng.random(n)
    morning = (u1 < 0.6) | (weekday == 5)
    direct_tod = np.where(morning, 7.5 * H + u2 * 4 * H, 13.5 * H + u2 * 3.5 * H)
    online_tod = np.where(u1 < 0.85, 7 * H + u2 * 15 * H, u2 * 24 * H)
    tod = np.where(online, online_tod, np.where(postal, 8 * H + u2 * 8 * H, direct_tod))
    tod = tod.astype(np.int64)
    recv = t0 + tod

    start = busday_offset(days + (tod >= 17 * H), 0)
    same = start == days
    sla = pt.sla[proc]
    due_day = busday_offset(start, sla)
    due_tod = np.where(same & (sla > 0), np.clip(tod, 7.5 * H, 17 * H), 17 * H)
    late_in_day = (sla == 0) & same & (tod >= 15.5 * H)
    due_day = np.where(late_in_day, busday_offset(start, 1), due_day)
    due_tod = np.where(late_in_day, 10 * H, due_tod)
    due = np.maximum(due_day * DAY + due_tod.astype(np.int64), recv + 1800)

    base = np.where(level == TINH, ct.proc_dept_on_time[proc], ct.place_on_time[place])
    has_sup = rng.random(n) < pt.p_supplement[proc]
    p_on_time = base + pt.on_time_adj[proc] + 0.025 * prog - 0.04 * has_sup
    p_wd = pt.p_withdraw[proc] * np.where(has_sup, 3, 1)
    p_rej = pt.p_reject[proc] * np.where(has_sup, 2, 1)
    u = rng.random(n)
    outcome = np.where(u < p_wd, WITHDRAWN, np.where(u < p_wd + p_rej, REJECTED, DONE))
    on_time = (rng.random(n) < np.clip(p_on_time, 0.6, 0.997)) | (outcome == REJECTED)

    u_end = rng.random(n) ** 1.6 * np.where(outcome == REJECTED, 0.6, 1.0)
    span = BUSINESS.count(start, due_day)
    end_day = busday_offset(start, (u_end * (span + 1)).astype(np.int64))
    end_tod = (7.5 * H + rng.random(n) * 9.5 * H).astype(np.int64)
    lo = recv + np.minimum(600, (due - recv) // 2)
    end_on_time = np.clip(end_day * DAY + end_tod, lo, due)
    late_by = np.minimum(rng.geometric(1.0 / pt.late_mean[proc]), 60)
    late_by = late_by + np.where(rng.random(n) < 0.01, rng.integers(20, 80, n), 0)
    end_late = np.maximum(busday_offset(due_day, late_by) * DAY + end_tod, due + 60)
    end_late = np.minimum(end_late, recv + LATE_CAP_DAYS * DAY)
    withdrawn_at = recv + 600 + (rng.random(n) * (due + 3 * DAY - recv - 600)).astype(np.int64)
    end = np.where(outcome == WITHDRAWN, withdrawn_at, np.where(on_time, end_on_time, end_late))

    gap = end - recv
    has_sup &= gap >= 1200
    sup_at = recv + 60 + ((0.15 + 0.45 * rng.random(n)) * (gap - 120)).astype(np.int64)
    supplement = np.where(has_sup, sup_at, -1)

    full_online = online & (pt.mode[proc] == "TOAN_TRINH")
    quick = full_online | (rng.random(n) < 0.6)
    ret_quick = end + 60 + (rng.random(n) * np.where(full_online, H, 4 * H)).astype(np.int64)
    ret_slow = busday_offset(end // DAY, rng.integers(1, 4, n)) * DAY + (
        7.5 * H + rng.random(n) * 9.5 * H
    ).astype(np.int64)
    ret = np.where(quick, ret_quick, np.maximum(ret_slow, end + 60))
    ret = np.where(outcome == REJECTED, end + 60 + (rng.random(n) * 1800).astype(np.int64), ret)
    final = np.where(outcome == WITHDRAWN, end, ret)

    fee = pt.fee_min[proc] + rng.random(n) ** 2 * (pt.fee_max[proc] - pt.fee_min[proc])
    fee = (np.round(fee / 1000) * 1000).astype(np.int64)
    fee = np.where(rng.random(n) < 0.05, 0, fee)  # exempt applicants
    paid = (fee > 0) & (rng.random(n) < np.where(online, 0.15 + 0.6 * prog, 0.02 + 0.1 * prog))
    digitised = rng.random(n) < np.where(online, 0.55 + 0.4 * prog, 0.15 + 0.6 * prog)
    rated = (outcome == DONE) & (rng.random(n) < (0.12 + 0.3 * prog) * np.where(online, 1.4, 0.8))
    u_r = rng.random(n)
    late = end > due
    stars = 1 + np.where(
        late,
        np.searchsorted(_RATING_CUM_LATE, u_r, side="right"),
        np.searchsorted(_RATING_CUM_ON_TIME, u_r, side="right"),
    )
    rating = np.where(rated, np.minimum(stars, 5), 0).astype(np.int8)

    columns = {
        "proc": proc,
        "place": place,
        "owner": owner,
        "channel": channel,
        "recv": recv,
        "due": due,
        "supplement": supplement,
        "end": end,
        "final": final,
        "outcome": outcome.astype(np.int8),
        "fee": fee,
        "paid_online": paid,
        "digitised": digitised,
        "rating": rating,
    }
    order = np.argsort(recv, kind="stable")  # the day's sequence numbers follow receipt time
    return DayCore(day=day, **{k: v[order] for k, v in columns.items()})
