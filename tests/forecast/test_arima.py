"""The Tết ARIMA's sum of squares minimised directly (forecast/arima.py), checked against
statsforecast's own CSS fit and against the sum of squares itself."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from statsforecast import StatsForecast
from statsforecast.models import ARIMA

from forecast.arima import CSSARIMA
from forecast.calendar import tet_days

MONTHS = pd.date_range("2020-01-01", "2025-09-01", freq="MS")
SETTINGS = dict(order=(1, 0, 0), seasonal_order=(0, 1, 0), season_length=12,
                include_drift=True, method="CSS")  # fmt: skip
TET = np.array([tet_days(d.date()) for d in MONTHS], dtype=np.float64)


def series(seed: int, scale: float = 1.0) -> np.ndarray:
    """A month series with trend, season, a Tết dip and AR(1) noise."""
    rng = np.random.default_rng(seed)
    t = np.arange(len(MONTHS), dtype=np.float64)
    noise = np.zeros(len(t))
    for i in range(1, len(t)):
        noise[i] = 0.4 * noise[i - 1] + rng.normal(0, 8)
    return scale * (500 + 2.5 * t + 40 * np.sin(2 * np.pi * t / 12) - 6 * TET + noise)


def css(y: np.ndarray, phi: float, drift: float, tet: float) -> float:
    """The conditional sum of squares, written out: y less the regression, its seasonal
    difference, the AR(1) residuals from the second difference on."""
    t = np.arange(1, len(y) + 1, dtype=np.float64)
    u = y - drift * t - tet * TET[: len(y)]
    w = u[12:] - u[:-12]
    return float(np.sum((w[1:] - phi * w[:-1]) ** 2))


def fits(model, y: np.ndarray) -> dict:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return model.new().fit(y, TET[: len(y), None]).model_


@pytest.mark.parametrize("seed", range(5))
def test_the_library_converges_to_the_same_parameters(seed: int) -> None:
    """Where statsforecast's BFGS converges (figures of a few hundred), both fits are one."""
    y = series(seed)
    ours, theirs = fits(CSSARIMA(**SETTINGS), y), fits(ARIMA(**SETTINGS), y)
    assert list(ours["coef"]) == list(theirs["coef"]) == ["ar1", "drift", "ex_1"]
    a, b = list(ours["coef"].values()), list(theirs["coef"].values())
    assert css(y, *a) <= css(y, *b) * (1 + 1e-9)
    assert np.allclose(a, b, rtol=1e-4, atol=1e-6)
    assert ours["sigma2"] == pytest.approx(theirs["sigma2"], rel=1e-8)


@pytest.mark.parametrize("seed", range(5))
def test_the_parameters_minimise_the_sum_of_squares(seed: int) -> None:
    """Large figures (đồng): each parameter moved either way raises the sum of squares, and
    it is never above the library's own fit's."""
    y = series(seed, scale=1e9)
    ours, theirs = fits(CSSARIMA(**SETTINGS), y), fits(ARIMA(**SETTINGS), y)
    best = np.array(list(ours["coef"].values()))
    floor = css(y, *best)
    assert floor <= css(y, *theirs["coef"].values()) * (1 + 1e-12)
    for k in range(3):
        for sign in (-1, 1):
            moved = best.copy()
            moved[k] += sign * 1e-4 * max(abs(best[k]), 1.0)
            assert css(y, *moved) > floor


def test_statsforecast_gives_the_frames_of_the_library_arima() -> None:
    """In StatsForecast (backtest carried from the first origin, forecast with one-step
    fits), the same columns as ARIMA's and, where the library converges, the same figures."""
    # c: constant up to the backtest's first origin (the library's forecast of constant
    # figures renames the drift in its model: the next window's forward must still work)
    constant = np.where(np.arange(len(MONTHS)) < len(MONTHS) - 12, 50.0, series(3))
    frame = pd.DataFrame(
        {
            "unique_id": np.repeat(["a", "b", "c"], len(MONTHS)),
            "ds": np.tile(MONTHS, 3),
            "y": np.concatenate([series(1), series(2), constant]),
            "tet": np.tile(TET, 3),
        }
    )
    future = pd.date_range(MONTHS[-1], periods=7, freq="MS")[1:]
    x_future = pd.DataFrame(
        {
            "unique_id": np.repeat(["a", "b", "c"], 6),
            "ds": np.tile(future, 3),
            "tet": np.tile([tet_days(d.date()) for d in future], 3).astype(float),
        }
    )
    out = {}
    for name, model in (("ours", CSSARIMA(**SETTINGS)), ("theirs", ARIMA(**SETTINGS))):
        sf = StatsForecast(models=[model], freq="MS")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            cv = sf.cross_validation(df=frame, h=6, n_windows=3, step_size=3, level=[80, 95],
                                     refit=False)  # fmt: skip
            fc = sf.forecast(df=frame, h=6, X_df=x_future, level=[80, 95], fitted=True)
        out[name] = (cv, fc, sf.forecast_fitted_values())
    for ours, theirs in zip(out["ours"], out["theirs"], strict=True):
        assert list(ours.columns) == list(theirs.columns)
        c = ours["unique_id"].eq("c").to_numpy()
        pd.testing.assert_frame_equal(ours[~c], theirs[~c], check_exact=False, rtol=1e-5)
        # c's last figures make φ near 1, where the drift is barely told from the AR term:
        # the library's search stops within 1e-4 of the minimum there
        pd.testing.assert_frame_equal(ours[c], theirs[c], check_exact=False, rtol=1e-3)
