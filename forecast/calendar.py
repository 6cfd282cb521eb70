"""Tết (Lunar New Year) in the Gregorian calendar: the regressor that lets a monthly model
move the holiday's dip or peak between January and February."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

# Mùng 1 Tết Nguyên đán (Vietnamese lunar calendar, UTC+7).
TET_DAY_ONE = {
    2015: date(2015, 2, 19),
    2016: date(2016, 2, 8),
    2017: date(2017, 1, 28),
    2018: date(2018, 2, 16),
    2019: date(2019, 2, 5),
    2020: date(2020, 1, 25),
    2021: date(2021, 2, 12),
    2022: date(2022, 2, 1),
    2023: date(2023, 1, 22),
    2024: date(2024, 2, 10),
    2025: date(2025, 1, 29),
    2026: date(2026, 2, 17),
    2027: date(2027, 2, 6),
    2028: date(2028, 1, 26),
    2029: date(2029, 2, 13),
    2030: date(2030, 2, 3),
    2031: date(2031, 1, 23),
    2032: date(2032, 2, 11),
    2033: date(2033, 1, 31),
    2034: date(2034, 2, 19),
    2035: date(2035, 2, 8),
}
# The holiday as people take it: from the 28th of the last lunar month to Mùng 5.
BEFORE, AFTER = 2, 4


def tet_days(month_start: date) -> int:
    """Days of the Tết holiday that fall in the month starting ``month_start``."""
    day_one = TET_DAY_ONE.get(month_start.year)
    if day_one is None:
        return 0
    next_month = (pd.Timestamp(month_start) + pd.offsets.MonthBegin(1)).date()
    days = (day_one + timedelta(days=d) for d in range(-BEFORE, AFTER + 1))
    return sum(month_start <= d < next_month for d in days)
