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

import numpy as np
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


def _reason(span: int, have: int, last: pd.Timestamp, as_of: pd.Timestamp, freq: Frequency):
    """Why a series of ``have`` figures over ``span`` periods up to ``last`` is not forecast
    (None: it is)."""
    if span < freq.min_periods:
        return too_short(have, freq)
    if span - have > max(1, int((1 - MIN_DENSITY) * span)):
        return f"thưa: có {have}/{span} kỳ, cần ít nhất {MIN_DENSITY:.0%}"
    if periods_between(last, as_of, freq) - 1 > freq.season * MAX_STALE_YEARS:
        return f"số liệu mới nhất kỳ {label(last, freq)}, đã quá 1 năm"
    return None


def _interpolate_inside(ids: np.ndarray, y: np.ndarray) -> np.ndarray:
    """Each series' gaps between two figures filled linearly by position, every series at
    once, with np.interp's arithmetic (what ``Series.interpolate(limit_area="inside")`` runs
    series by series): slope between the figures around the gap, times the distance from the
    one before it."""
    pos = np.arange(len(y), dtype="float64")
    known = ~np.isnan(y)
    frame = pd.DataFrame({"id": ids, "p": np.where(known, pos, np.nan), "y": y})
    before = frame.groupby("id", sort=False)[["p", "y"]].ffill()
    after = frame.groupby("id", sort=False)[["p", "y"]].bfill()
    p0, y0 = before["p"].to_numpy(), before["y"].to_numpy()
    p1, y1 = after["p"].to_numpy(), after["y"].to_numpy()
    inside = ~known & ~np.isnan(p0) & ~np.isnan(p1)
    slope = (y1[inside] - y0[inside]) / (p1[inside] - p0[inside])
    out = y.copy()
    out[inside] = slope * (pos[inside] - p0[inside]) + y0[inside]
    return out


def split(values: pd.DataFrame, as_of: pd.Timestamp, freq: Frequency):
    """``(training frame unique_id/ds/y/observed, skipped frame with reason)`` for one
    frequency; ``observed`` is false where a gap inside was filled by interpolation.

    ``values``: ``unique_id``, ``ds`` (period start), ``y`` (null where unknown). Series are
    told apart with one aggregation and filled with one merge (a pandas pass per series cost
    ~1.5 s a refresh at ~1,100 series).
    """
    known = values.dropna(subset=["y"])
    skipped = [
        {"unique_id": uid, "reason": "chưa có số liệu", "history": 0}
        for uid in sorted(set(values["unique_id"]) - set(known["unique_id"]))
    ]
    grids = []
    stats = known.groupby("unique_id", sort=True)["ds"].agg(["min", "max", "nunique"])
    for uid, first, last, have in stats.itertuples(name=None):
        reason = _reason(periods_between(first, last, freq), have, last, as_of, freq)
        if reason:
            skipped.append({"unique_id": uid, "reason": reason, "history": have})
        else:
            grids.append((uid, pd.date_range(first, last, freq=freq.pandas_freq)))
    skipped = pd.DataFrame(skipped, columns=["unique_id", "reason", "history"])
    if not grids:
        empty = {"unique_id": [], "ds": pd.to_datetime([]), "y": [], "observed": []}
        return pd.DataFrame(empty), skipped
    grid = pd.DataFrame(
        {
            "unique_id": np.repeat([uid for uid, _ in grids], [len(g) for _, g in grids]),
            "ds": grids[0][1].append([g for _, g in grids[1:]]),
        }
    )
    figures = known[["unique_id", "ds", "y"]].astype({"y": "float64"})
    if figures.duplicated(["unique_id", "ds"]).any():
        raise ValueError("two figures for one series and period")
    train = grid.merge(figures, on=["unique_id", "ds"], how="left", indicator="observed")
    train["observed"] = (train["observed"] == "both").to_numpy()
    train["y"] = _interpolate_inside(train["unique_id"].to_numpy(), train["y"].to_numpy("float64"))
    return train, skipped
