"""Yearly and school-year series of two to four figures: too short for the library's models
(an exponential smoothing fit needs more points than parameters), not too short to say
something honest. Two models: the naive forecast (the last figure again; the baseline) and,
from three figures, the random walk with drift (the last figure plus the mean yearly change).

They use the figures as they are, gaps not filled. Their base 95 % interval is the last
figure's level at the origin, ±|level|·√h (h the periods ahead; the 80 % one in the normal
ratio): a scale, not a probability statement; forecast/calibrate.py turns it into 80 % and
95 % intervals from the pooled relative errors of these series' backtests. The frames have
the shape of statsforecast's (``cross_validation``, ``forecast``, ``forecast_fitted_values``)
so the scoring, the choice and the calibration treat both alike.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from forecast.series import Frequency, periods_between

NAIVE, DRIFT = "SeasonalNaive", "RWD"  # the names statsforecast gives the same models
LEVELS = (80, 95)
Z = {80: 1.2815515655446004, 95: 1.959963984540054}  # normal quantiles: the levels' ratio


def _predict(t: np.ndarray, y: np.ndarray, ahead: int) -> dict[str, float]:
    """The forecast ``ahead`` periods after the last figure, per model the figures allow
    (``t``: each figure's period number; gaps are not filled: an interpolated year would
    hand the drift the answer)."""
    out = {NAIVE: float(y[-1])}
    if len(y) >= 2:
        out[DRIFT] = float(y[-1] + ahead * (y[-1] - y[0]) / (t[-1] - t[0]))
    return out


def _row(uid: str, ds: pd.Timestamp, t: np.ndarray, y: np.ndarray, ahead: int, models) -> dict:
    level = abs(float(y[-1])) or float(np.mean(np.abs(y)))
    row: dict = {"unique_id": uid, "ds": ds}
    for name, value in _predict(t, y, ahead).items():
        if name not in models:
            continue
        row[name] = value
        for lv in LEVELS:
            width = level * math.sqrt(ahead) * Z[lv] / Z[95]
            row[f"{name}-lo-{lv}"], row[f"{name}-hi-{lv}"] = value - width, value + width
    return row


def _series(part: pd.DataFrame, freq: Frequency):
    first = part["ds"].min()
    t = np.array([periods_between(first, d, freq) - 1 for d in part["ds"]])
    return part["ds"].to_list(), t, part["y"].to_numpy()


def _models(figures: int) -> list[str]:
    return [NAIVE, DRIFT] if figures >= 3 else [NAIVE]


def backtest(figures: pd.DataFrame, freq: Frequency) -> pd.DataFrame:
    """Rolling origins, as many as the figures allow, each forecasting the next figure: every
    origin with two figures before it (both models, compared on the same origins); with two
    figures in all, the one origin after the first (the naive only)."""
    rows = []
    for uid, part in figures.groupby("unique_id", sort=True):
        ds, t, y = _series(part, freq)
        models = _models(len(y))
        for j in range(len(models), len(y)):
            row = _row(uid, ds[j], t[:j], y[:j], int(t[j] - t[j - 1]), models)
            rows.append({**row, "cutoff": ds[j - 1], "y": float(y[j])})
    return pd.DataFrame(rows)


def forecast(figures: pd.DataFrame, h: int, freq: Frequency) -> pd.DataFrame:
    """The next ``h`` periods of every series, each model its base interval."""
    rows = []
    for uid, part in figures.groupby("unique_id", sort=True):
        ds, t, y = _series(part, freq)
        ahead = pd.date_range(ds[-1], periods=h + 1, freq=freq.pandas_freq)[1:]
        rows += [_row(uid, d, t, y, k, _models(len(y))) for k, d in enumerate(ahead, start=1)]
    return pd.DataFrame(rows)


def fitted(cv: pd.DataFrame) -> pd.DataFrame:
    """The one-step-ahead forecast of each series' last figure (its last backtest origin)."""
    last = cv.groupby("unique_id")["ds"].transform("max")
    return cv[cv["ds"] == last].drop(columns="cutoff").reset_index(drop=True)
