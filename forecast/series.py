"""Which series can be forecast, and the reason for each one that cannot.

A series is one indicator × today's unit at the indicator's own frequency (month, quarter,
year or school year). It is forecast when it has at least two years (24 months) of history:
24 months, 8 quarters, 2 years or school years; when it is dense enough for its few gaps to be
filled by interpolation, and when it is not stale; otherwise it is listed with why. A yearly or
school-year series of fewer than five figures is too short for the library's models: it gets
the naive forecast and the random walk with drift (forecast/short.py).
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd


@dataclass(frozen=True)
class Frequency:
    name: str  # the catalog's frequency
    pandas_freq: str
    season: int  # periods a year (1: yearly, no season)
    min_periods: int  # two years: 24 months, 8 quarters, 2 years or school years
    model_periods: int  # the least the library's models are fitted on (fewer: short.py)
    backtest_h: int
    backtest_windows: int
    backtest_step: int


FREQUENCIES = {
    "month": Frequency("month", "MS", 12, 24, 24, 6, 3, 3),
    "quarter": Frequency("quarter", "QS", 4, 8, 8, 2, 3, 1),
    "year": Frequency("year", "YS", 1, 2, 5, 1, 2, 1),
    "school_year": Frequency("school_year", "YS-SEP", 1, 2, 5, 1, 2, 1),
}
# share of the periods between first and last figure that have one (one gap is always
# filled: two yearly figures a year apart are a series)
MIN_DENSITY = 0.85
MAX_STALE_YEARS = 1  # the last figure at most a year before the newest of its frequency


def periods_between(first: pd.Timestamp, last: pd.Timestamp, freq: Frequency) -> int:
    months = (last.year - first.year) * 12 + last.month - first.month
    return months // (12 // freq.season) + 1


def label(ds: pd.Timestamp, freq: Frequency) -> str:
    if freq.name == "school_year":
        return f"{ds.year}-{ds.year + 1}"
    return f"{ds:%Y}" if freq.season == 1 else f"{ds:%m/%Y}"


def too_short(have: int, freq: Frequency) -> str:
    if freq.season > 1:
        return f"chỉ có {have} kỳ số liệu, cần ít nhất {freq.min_periods} (2 năm)"
    years = "năm học" if freq.name == "school_year" else "năm"
    return f"chỉ có {have} {years} có số liệu, cần ít nhất {freq.min_periods} {years}"


def split(values: pd.DataFrame, as_of: pd.Timestamp, freq: Frequency):
    """``(training frame unique_id/ds/y/observed, skipped frame with reason)`` for one
    frequency; ``observed`` is false where a gap inside was filled by interpolation.

    ``values``: ``unique_id``, ``ds`` (period start), ``y`` (null where unknown).
    """
    known = values.dropna(subset=["y"])
    kept = []
    skipped = [
        {"unique_id": uid, "reason": "chưa có số liệu", "history": 0}
        for uid in sorted(set(values["unique_id"]) - set(known["unique_id"]))
    ]
    for uid, group in known.groupby("unique_id", sort=True):
        first, last = group["ds"].min(), group["ds"].max()
        span = periods_between(first, last, freq)
        have = group["ds"].nunique()
        reason = None
        if span < freq.min_periods:
            reason = too_short(have, freq)
        elif span - have > max(1, int((1 - MIN_DENSITY) * span)):
            reason = f"thưa: có {have}/{span} kỳ, cần ít nhất {MIN_DENSITY:.0%}"
        elif periods_between(last, as_of, freq) - 1 > freq.season * MAX_STALE_YEARS:
            reason = f"số liệu mới nhất kỳ {label(last, freq)}, đã quá 1 năm"
        if reason:
            skipped.append({"unique_id": uid, "reason": reason, "history": have})
            continue
        full = pd.date_range(first, last, freq=freq.pandas_freq)
        y = group.set_index("ds")["y"].reindex(full).interpolate(limit_area="inside")
        observed = full.isin(group["ds"])
        kept.append(
            pd.DataFrame({"unique_id": uid, "ds": full, "y": y.to_numpy(), "observed": observed})
        )
    train = (
        pd.concat(kept, ignore_index=True)
        if kept
        else pd.DataFrame({"unique_id": [], "ds": pd.to_datetime([]), "y": [], "observed": []})
    )
    return train, pd.DataFrame(skipped, columns=["unique_id", "reason", "history"])
