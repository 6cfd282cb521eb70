"""Vietnamese public holidays (official days off) 2022-2026, and Tết.

Weekday days off only matter for business-day arithmetic; weekends are off anyway.
Schedules follow the government's yearly announcements (days in lieu included).
"""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np


def _span(first: date, last: date) -> list[date]:
    return [first + timedelta(days=i) for i in range((last - first).days + 1)]


# Lunar New Year's Day.
TET = (date(2022, 2, 1), date(2023, 1, 22), date(2024, 2, 10), date(2025, 1, 29), date(2026, 2, 17))

# Tết holiday (first and last day off, weekends included).
TET_HOLIDAYS = (
    (date(2022, 1, 29), date(2022, 2, 6)),
    (date(2023, 1, 20), date(2023, 1, 26)),
    (date(2024, 2, 8), date(2024, 2, 14)),
    (date(2025, 1, 25), date(2025, 2, 2)),
    (date(2026, 2, 14), date(2026, 2, 22)),
)

_OTHER = (
    (date(2022, 1, 1), date(2022, 1, 3)),
    (date(2022, 4, 11), date(2022, 4, 11)),
    (date(2022, 4, 30), date(2022, 5, 3)),
    (date(2022, 9, 1), date(2022, 9, 4)),
    (date(2023, 1, 1), date(2023, 1, 2)),
    (date(2023, 4, 29), date(2023, 5, 3)),
    (date(2023, 9, 1), date(2023, 9, 4)),
    (date(2024, 1, 1), date(2024, 1, 1)),
    (date(2024, 4, 18), date(2024, 4, 18)),
    (date(2024, 4, 27), date(2024, 5, 1)),
    (date(2024, 8, 31), date(2024, 9, 3)),
    (date(2025, 1, 1), date(2025, 1, 1)),
    (date(2025, 4, 7), date(2025, 4, 7)),
    (date(2025, 4, 30), date(2025, 5, 4)),
    (date(2025, 8, 30), date(2025, 9, 2)),
    (date(2026, 1, 1), date(2026, 1, 2)),
    (date(2026, 4, 27), date(2026, 4, 27)),
    (date(2026, 4, 30), date(2026, 5, 3)),
    (date(2026, 8, 31), date(2026, 9, 2)),
    (date(2027, 1, 1), date(2027, 1, 1)),
)

DAYS_OFF: tuple[date, ...] = tuple(
    sorted({d for first, last in TET_HOLIDAYS + _OTHER for d in _span(first, last)})
)
DAYS_OFF_NP = np.array(DAYS_OFF, dtype="datetime64[D]")
BUSDAYCAL = np.busdaycalendar(weekmask="1111100", holidays=DAYS_OFF_NP)


class BusinessDays:
    """Business-day arithmetic by table lookup (day numbers = days since 1970-01-01).

    Same results as numpy's busday_offset(roll="forward") / busday_count with BUSDAYCAL, but
    a fancy-index instead of a calendar walk per element.
    """

    def __init__(self, first: int, last: int) -> None:
        days = np.arange(first, last + 1)
        busy = np.is_busday(days.astype("datetime64[D]"), busdaycal=BUSDAYCAL)
        self.first = first
        self.before = np.concatenate([[0], np.cumsum(busy)[:-1]])  # business days before day
        self.by_rank = days[busy]  # the k-th business day

    def offset(self, days: np.ndarray, n: np.ndarray | int) -> np.ndarray:
        """Roll ``days`` forward to a business day, then move ``n`` business days."""
        return self.by_rank[self.before[days - self.first] + n]

    def count(self, a: np.ndarray, b: np.ndarray) -> np.ndarray:
        """Business days in [a, b)."""
        return self.before[b - self.first] - self.before[a - self.first]
