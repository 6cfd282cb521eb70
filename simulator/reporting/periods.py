"""Reporting periods (kỳ báo cáo): kind, year, number, dates, due date and Vietnamese label."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from simulator.clock import REFORM_DATE

FIRST_YEAR = 2022
LAST = date(2026, 10, 31)  # the simulated world ends with October 2026


@dataclass(frozen=True)
class Period:
    kind: str  # THANG | QUY | 6THANG | 9THANG | NAM
    year: int
    number: int  # month, quarter, or 1

    @property
    def first_month(self) -> int:
        return {"THANG": self.number, "QUY": 3 * self.number - 2}.get(self.kind, 1)

    @property
    def last_month(self) -> int:
        return {"THANG": self.number, "QUY": 3 * self.number, "6THANG": 6, "9THANG": 9}.get(
            self.kind, 12
        )

    @property
    def months(self) -> range:
        return range(self.first_month, self.last_month + 1)

    @property
    def start(self) -> date:
        return date(self.year, self.first_month, 1)

    @property
    def end(self) -> date:
        """The last day of the period."""
        m = self.last_month
        nxt = date(self.year + 1, 1, 1) if m == 12 else date(self.year, m + 1, 1)
        return nxt - timedelta(days=1)

    @property
    def mid_years(self) -> float:
        """Years from 2022-01-01 to the period's middle (the value model's time axis)."""
        mid = self.start + (self.end - self.start) / 2
        return (mid - date(FIRST_YEAR, 1, 1)).days / 365.25

    @property
    def due(self) -> date:
        """han_gui: THANG the 18th of the next month, QUY/6THANG/9THANG the 20th of the month
        after, NAM 31 January of the next year."""
        if self.kind == "NAM":
            return date(self.year + 1, 1, 31)
        after = self.end + timedelta(days=1)
        return after.replace(day=18 if self.kind == "THANG" else 20)

    @property
    def old_units(self) -> bool:
        """Figures about the units before the reform (old Khánh Hòa and Ninh Thuận apart)."""
        return self.end < REFORM_DATE

    @property
    def label(self) -> str:
        """What the Excel header says: ``Tháng 3/2024``, ``Quý 1/2024``, ``Năm 2024``..."""
        if self.kind == "THANG":
            return f"Tháng {self.number}/{self.year}"
        if self.kind == "QUY":
            return f"Quý {self.number}/{self.year}"
        if self.kind == "6THANG":
            return f"6 tháng đầu năm {self.year}"
        if self.kind == "9THANG":
            return f"9 tháng đầu năm {self.year}"
        return f"Năm {self.year}"

    def previous_year(self) -> Period:
        return Period(self.kind, self.year - 1, self.number)

    def same_year_before(self) -> list[Period]:
        """The periods of the same kind earlier in the same year (for year-to-date sums)."""
        return [Period(self.kind, self.year, n) for n in range(1, self.number)]


def periods(kind: str) -> list[Period]:
    """Every period of ``kind`` whose end lies within the simulated world."""
    per_year = {"THANG": 12, "QUY": 4, "NAM": 1}[kind]
    out = []
    for year in range(FIRST_YEAR, LAST.year + 1):
        for n in range(1, per_year + 1):
            p = Period(kind, year, n)
            if p.end <= LAST:
                out.append(p)
    return out
