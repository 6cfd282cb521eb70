"""Daily volume of new dossiers and the slow trends of the simulated years."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np

from simulator.clock import AS_OF_SEC, DAY, START_SEC, WORLD_START, day_number
from simulator.holidays import DAYS_OFF_NP, TET_HOLIDAYS, BusinessDays

DOSSIERS_PER_YEAR = 1_000_000  # at scale 1.0 (2024 level)
YEAR_FACTOR = {2022: 0.86, 2023: 0.93, 2024: 1.0, 2025: 1.06, 2026: 1.12}
MONTH_FACTOR = (1.0, 0.97, 1.0, 0.98, 1.0, 1.02, 1.05, 1.03, 0.98, 1.0, 1.04, 1.15)
WEEKDAY_FACTOR = (1.0, 1.0, 1.0, 1.0, 1.0, 0.12, 0.05)  # Mon..Sun
DAY_OFF_FACTOR = 0.05
FIRST_DAY = day_number(WORLD_START)
LAST_DAY = (AS_OF_SEC - 1) // DAY  # last simulated day (inclusive)


def progress(sec: np.ndarray | int) -> np.ndarray:
    """0 at the world's start, 1 at as_of: drives the slow trends (online, digitised...)."""
    return np.clip((np.asarray(sec) - START_SEC) / (AS_OF_SEC - START_SEC), 0.0, 1.0)


def online_target(sec: np.ndarray | int) -> np.ndarray:
    """Province-wide share of online dossiers: ~30% over 2022, ~75% over 2026."""
    return 0.25 + 0.58 * progress(sec)


BUSINESS = BusinessDays(FIRST_DAY - 400, LAST_DAY + 400)


def busday_offset(days: np.ndarray, offsets: np.ndarray | int) -> np.ndarray:
    """Business day ``offsets`` after ``days`` (rolled forward first); day numbers in, out."""
    return BUSINESS.offset(np.asarray(days), offsets)


def daily_intensity() -> np.ndarray:
    """Expected new dossiers per day at scale 1, for day numbers FIRST_DAY..LAST_DAY."""
    days = np.arange(FIRST_DAY, LAST_DAY + 1)
    d64 = days.astype("datetime64[D]")
    weekday = (days + 3) % 7  # 1970-01-01 was a Thursday
    w = np.array(WEEKDAY_FACTOR)[weekday]
    month = d64.astype("datetime64[M]").astype(np.int64) % 12
    w = w * np.array(MONTH_FACTOR)[month]
    off = np.isin(d64, DAYS_OFF_NP)
    w = np.where(off, DAY_OFF_FACTOR, w)
    for first, last in TET_HOLIDAYS:
        before = busday_offset(np.array([day_number(first)]), -10)[0]
        w = np.where((days >= before) & (days < day_number(first)) & ~off, w * 1.3, w)
        after = busday_offset(np.array([day_number(last + timedelta(days=1))]), 5)[0]
        w = np.where((days > day_number(last)) & (days < after), w * 0.75, w)
    years = d64.astype("datetime64[Y]").astype(np.int64) + 1970
    lam = np.zeros_like(w)
    for year, factor in YEAR_FACTOR.items():
        in_year = years == year
        full = day_number(date(year + 1, 1, 1)) - day_number(date(year, 1, 1))
        share = w[in_year].sum() * full / max(in_year.sum(), 1)  # a partial year keeps its rate
        lam[in_year] = DOSSIERS_PER_YEAR * factor * w[in_year] / share
    return lam
