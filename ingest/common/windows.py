"""Load windows: the incremental pull is cut into calendar months so each load has a stable
identity (the same window always gives the same load id, hence idempotent re-runs)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Window:
    start: datetime  # inclusive, naive local time
    end: datetime  # exclusive

    @property
    def key(self) -> str:
        return f"{self.start:%Y%m%dT%H%M}_{self.end:%Y%m%dT%H%M}"


def _next_month(moment: datetime) -> datetime:
    first = moment.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    return (
        first.replace(year=first.year + 1, month=1)
        if first.month == 12
        else first.replace(month=first.month + 1)
    )


def month_windows(start: datetime, end: datetime) -> Iterator[Window]:
    """[start, end) cut at month boundaries; the first and last piece may be partial."""
    cursor = start
    while cursor < end:
        stop = min(_next_month(cursor), end)
        yield Window(cursor, stop)
        cursor = stop
