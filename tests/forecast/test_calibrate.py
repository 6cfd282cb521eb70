"""Intervals calibrated on backtest errors (forecast/calibrate.py): a model whose intervals
are half as wide as its errors need gets them widened to cover what they say, measured on
series left out of the calibration."""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecast import calibrate

Z80, Z95 = 1.2815515655446004, 1.959963984540054


def _backtest(series: int, points: int, error_sd: float, claimed_sd: float, seed: int):
    """A backtest frame in statsforecast's shape: model ``M`` forecasts 100, the figures miss
    it by normal errors of ``error_sd``, its intervals claim ``claimed_sd``."""
    rng = np.random.default_rng(seed)
    n = series * points
    frame = pd.DataFrame(
        {
            "unique_id": np.repeat([f"s{i:02d}" for i in range(series)], points),
            "y": 100 + rng.normal(0, error_sd, n),
            "M": 100.0,
        }
    )
    for level, z in ((80, Z80), (95, Z95)):
        frame[f"M-lo-{level}"] = 100 - z * claimed_sd
        frame[f"M-hi-{level}"] = 100 + z * claimed_sd
    return frame


def _coverage(frame: pd.DataFrame, level: int) -> float:
    inside = (frame["y"] >= frame[f"M-lo-{level}"]) & (frame["y"] <= frame[f"M-hi-{level}"])
    return 100 * inside.mean()


def _pools(frame: pd.DataFrame) -> pd.DataFrame:
    ids = frame["unique_id"].unique()
    return pd.DataFrame({"unique_id": ids, "kind": "model", "group": "g", "freq": "month"})


def test_too_narrow_intervals_are_widened_to_nominal() -> None:
    cv = _backtest(series=40, points=12, error_sd=2.0, claimed_sd=1.0, seed=1)
    # a normal error of twice the claimed sd falls inside the claimed 95 % interval with
    # probability P(|Z| < 1.96 / 2) ≈ 67 %
    assert 60 < _coverage(cv, 95) < 75
    k = calibrate.factors(calibrate.points(cv, ["M"], _pools(cv)))
    # the widening recovers the ratio of the true to the claimed spread
    assert np.allclose(k["k_95"], 2.0, rtol=0.15) and np.allclose(k["k_80"], 2.0, rtol=0.15)
    calibrated = calibrate.apply(cv, ["M"], k, loso=True)
    assert 92 <= _coverage(calibrated, 95) <= 98
    assert 76 <= _coverage(calibrated, 80) <= 84
    # on fresh errors of the same model, the forecast's factor (the whole pool) holds too
    fresh = _backtest(series=40, points=12, error_sd=2.0, claimed_sd=1.0, seed=2)
    ahead = calibrate.apply(fresh, ["M"], k, loso=False)
    assert 92 <= _coverage(ahead, 95) <= 98


def test_a_small_pool_borrows_from_the_frequency_and_zero_width_is_left_out() -> None:
    wide = _backtest(series=40, points=12, error_sd=1.0, claimed_sd=1.0, seed=3)
    small = _backtest(series=2, points=5, error_sd=1.0, claimed_sd=1.0, seed=4)
    small["unique_id"] = small["unique_id"].radd("x")
    flat = _backtest(series=1, points=5, error_sd=1.0, claimed_sd=0.0, seed=5)
    flat["unique_id"] = "flat"
    cv = pd.concat([wide, small, flat], ignore_index=True)
    pools = _pools(cv)
    pools.loc[pools["unique_id"].str.startswith("x"), "group"] = "other"
    k = calibrate.factors(calibrate.points(cv, ["M"], pools)).set_index("unique_id")
    # ten points in group "other" are too few: the frequency's pool (every point but the
    # zero-width ones) sets them: its ⌈(n + 1)·0.95⌉-th smallest error over the half-width
    scaled = np.sort(np.abs(cv.loc[cv["unique_id"] != "flat", "y"] - 100) / Z95)
    assert len(scaled) == 490
    assert np.isclose(k.at["xs00", "k_95"], scaled[int(np.ceil(491 * 0.95)) - 1])
    # group "g" has enough of its own: the flat series' zero-width points are left out
    own = np.sort(np.abs(wide["y"] - 100) / Z95)
    assert np.isclose(k.at["s00", "k_95"], own[int(np.ceil(481 * 0.95)) - 1])
    assert np.isfinite(k["k_95"]).all() and np.isfinite(k["k_95_loso"]).all()
    # the calibrated intervals nest
    out = calibrate.apply(cv, ["M"], k.reset_index(), loso=False)
    assert (out["M-lo-95"] <= out["M-lo-80"]).all() and (out["M-hi-80"] <= out["M-hi-95"]).all()


def test_too_few_points_for_a_level_keep_the_models_own_interval() -> None:
    cv = _backtest(series=2, points=5, error_sd=3.0, claimed_sd=1.0, seed=6)
    k = calibrate.factors(calibrate.points(cv, ["M"], _pools(cv))).set_index("unique_id")
    # ten points: a 95 % quantile needs 19 (unbounded below that): the model's interval
    # stands; an 80 % one needs 4: the 9th smallest of the ten
    assert (k["k_95"] == 1.0).all()
    scaled = np.sort(np.abs(cv["y"] - 100) / Z80)
    assert np.isclose(k.at["s00", "k_80"], scaled[int(np.ceil(11 * 0.8)) - 1])
