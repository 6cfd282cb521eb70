"""The simulated world's clock: time span, time zone and conversions.

Inside the simulator every instant is an int64 count of *local wall-clock seconds* since
1970-01-01T00:00 in Asia/Ho_Chi_Minh (UTC+07:00, no DST), so arithmetic is plain integer
arithmetic and a day is ``seconds // 86400``.
"""

from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone

import numpy as np

TZ = timezone(timedelta(hours=7))
DAY = 86_400

WORLD_START = date(2022, 1, 1)
AS_OF = datetime(2026, 11, 1, tzinfo=TZ)
REFORM_DATE = date(2025, 7, 1)  # admin-unit reform: new codes, no district level
DEPT_MERGE_DATE = date(2025, 3, 1)  # provincial departments merged (Resolution 18-NQ/TW)


def day_number(d: date) -> int:
    """Days since 1970-01-01."""
    return (d - date(1970, 1, 1)).days


def local_seconds(dt: datetime) -> int:
    """Local wall seconds of an aware datetime (converted to +07:00) or of a naive local one."""
    if dt.tzinfo is not None:
        dt = dt.astimezone(TZ).replace(tzinfo=None)
    return int((dt - datetime(1970, 1, 1)).total_seconds())


def from_local_seconds(sec: int) -> datetime:
    """Aware datetime (+07:00) of local wall seconds."""
    return (datetime(1970, 1, 1) + timedelta(seconds=int(sec))).replace(tzinfo=TZ)


def parse_instant(text: str) -> int:
    """Parse an ISO 8601 instant into local seconds.

    Accepts an offset (``+07:00``, ``Z``, any other offset is converted) or a naive value,
    read as local time. A ``+`` decoded to a space by a careless URL encoder is tolerated.
    """
    text = text.strip()
    if len(text) > 19 and text[-6] == " " and text[-5:-3].isdigit():
        text = text[:-6] + "+" + text[-5:]
    dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
    return local_seconds(dt)


START_SEC = day_number(WORLD_START) * DAY
AS_OF_SEC = local_seconds(AS_OF)
REFORM_SEC = day_number(REFORM_DATE) * DAY
DEPT_MERGE_SEC = day_number(DEPT_MERGE_DATE) * DAY


def iso_strings(sec: np.ndarray) -> list[str]:
    """ISO 8601 strings with +07:00 for an array of local seconds (vectorised)."""
    text = np.datetime_as_string(sec.astype("datetime64[s]"), unit="s")
    return [t + "+07:00" for t in text.tolist()]


class WorldClock:
    """The simulated "now" shared by every source: what has been published by then.

    Sources whose figures change over time (estimates replaced, reports resent, files
    dropped, restated months) serve the world as it stood at ``as_of_sec``; tests move it
    with ``POST /_sim/clock``. It never goes past ``AS_OF`` (the data ends there).
    """

    def __init__(self, as_of_sec: int = AS_OF_SEC) -> None:
        self._lock = threading.Lock()
        self._sec = min(int(as_of_sec), AS_OF_SEC)

    @property
    def as_of_sec(self) -> int:
        with self._lock:
            return self._sec

    def set(self, sec: int) -> None:
        if not START_SEC < sec <= AS_OF_SEC:
            raise ValueError("as_of must lie in (2022-01-01, 2026-11-01]")
        with self._lock:
            self._sec = int(sec)
