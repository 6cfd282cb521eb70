"""The reporting calendar of Decree 09/2019/NĐ-CP, as the closing DAGs run it.

Figures use calendar periods (month, quarter, half year, nine months, year); each period's
reports are due by the date of the due-date seed (``dbt_project/seeds/report_due_rules.csv``,
the rows without an indicator set: the period type's own rule), and a period is *closed* on
the day after its due date at ``CLOSE_HOUR`` local time, so every report sent by the due
date is in. The calendar is fixed: holidays (Tết included) never move a close.
"""

from __future__ import annotations

import calendar
import csv
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from ingest.common.settings import REPO_ROOT

DUE_RULES = REPO_ROOT / "dbt_project" / "seeds" / "report_due_rules.csv"
CLOSE_HOUR = 1  # local time, the day after the due date
TZ = "Asia/Ho_Chi_Minh"

# The months each period type ends in, and how many months it spans.
PERIOD_ENDS: dict[str, tuple[tuple[int, ...], int]] = {
    "month": (tuple(range(1, 13)), 1),
    "quarter": ((3, 6, 9, 12), 3),
    "half_year": ((6, 12), 6),
    "nine_months": ((9,), 9),
    "year": ((12,), 12),
}


@dataclass(frozen=True)
class Period:
    period_type: str
    start: date
    end: date
    due: date

    @property
    def label(self) -> str:
        """The serving contract's ``period_label``: 2024-03, 2024-Q1, 2024-H1, 2024-9M, 2024."""
        y, m = self.end.year, self.end.month
        return {
            "month": f"{y}-{m:02d}",
            "quarter": f"{y}-Q{m // 3}",
            "half_year": f"{y}-H{m // 6}",
            "nine_months": f"{y}-9M",
            "year": f"{y}",
        }[self.period_type]

    @property
    def closes_at(self) -> datetime:
        """When its closing run starts (naive local time)."""
        return datetime.combine(self.due + timedelta(days=1), datetime.min.time()).replace(
            hour=CLOSE_HOUR
        )


def due_rules() -> dict[str, tuple[int, int]]:
    """period type → (months after the period's end, day of that month) from the seed."""
    with DUE_RULES.open(encoding="utf-8", newline="") as f:
        rows = [r for r in csv.DictReader(f) if not r["indicator_set_code"]]
    return {r["period_type"]: (int(r["months_after_period_end"]), int(r["due_day"])) for r in rows}


def _add_months(year: int, month: int, n: int) -> tuple[int, int]:
    k = year * 12 + month - 1 + n
    return k // 12, k % 12 + 1


def period_ending(period_type: str, year: int, end_month: int, rules=None) -> Period:
    """The period of ``period_type`` that ends with month ``end_month`` of ``year``."""
    ends, span = PERIOD_ENDS[period_type]
    if end_month not in ends:
        raise ValueError(f"no {period_type} period ends in month {end_month}")
    after, day = (rules or due_rules())[period_type]
    sy, sm = _add_months(year, end_month, 1 - span)
    dy, dm = _add_months(year, end_month, after)
    due = date(dy, dm, min(day, calendar.monthrange(dy, dm)[1]))
    end = date(year, end_month, calendar.monthrange(year, end_month)[1])
    return Period(period_type, date(sy, sm, 1), end, due)


def periods(period_type: str, first_year: int, last_year: int, rules=None) -> list[Period]:
    """Every period of the type ending in the years given, in order."""
    rules = rules or due_rules()
    ends, _ = PERIOD_ENDS[period_type]
    return [
        period_ending(period_type, y, m, rules)
        for y in range(first_year, last_year + 1)
        for m in ends
    ]


def closed_by(period_type: str, moment: datetime, rules=None) -> Period:
    """The newest period of the type whose close time is at or before ``moment`` (naive
    local time): the period a closing run at that moment closes."""
    rules = rules or due_rules()
    candidates = periods(period_type, moment.year - 2, moment.year, rules)
    closed = [p for p in candidates if p.closes_at <= moment]
    return closed[-1]


def close_cron(period_type: str, rules=None) -> str:
    """The closing runs as a cron (local time). Every close of a type falls on the same day
    of the month (checked); the months are those the closes fall in."""
    rules = rules or due_rules()
    closes = [p.closes_at for p in periods(period_type, 2023, 2024, rules)]
    days = {c.day for c in closes}
    if len(days) != 1:
        raise ValueError(f"{period_type}: closes fall on different days {sorted(days)}")
    months = sorted({c.month for c in closes})
    month_field = "*" if len(months) == 12 else ",".join(map(str, months))
    return f"0 {CLOSE_HOUR} {days.pop()} {month_field} *"
