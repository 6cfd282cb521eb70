"""Forecasts on synthetic series with a known trend and yearly season (forecast/fit.py)."""

from __future__ import annotations

import math
from datetime import date
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

from forecast.calendar import tet_days
from forecast.fit import fit_all
from forecast.plan import chance

MONTHS = pd.date_range("2022-01-01", "2025-12-01", freq="MS")  # 48 months
NOISE = 3.0


def truth(i: int, ds: pd.DatetimeIndex) -> np.ndarray:
    t = (ds.year - 2022) * 12 + ds.month - 1
    return np.asarray(200 + 10 * i + 1.5 * t + 25 * np.sin(2 * np.pi * (ds.month - 1) / 12))


@pytest.fixture(scope="module")
def inputs() -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(14)
    rows = []
    for i in range(20):
        y = truth(i, MONTHS) + rng.normal(0, NOISE, len(MONTHS))
        rows += [("SYN", f"{i:02d}", d.date(), v) for d, v in zip(MONTHS, y, strict=True)]
    # too short (15 months) and too sparse (every third month missing)
    rows += [("SYN", "short", d.date(), 10.0) for d in MONTHS[-15:]]
    rows += [("SYN", "sparse", d.date(), 10.0 + k) for k, d in enumerate(MONTHS) if k % 3]
    values = pd.DataFrame(
        rows, columns=["indicator_code", "admin_unit_code", "period_start", "actual_value"]
    ).assign(frequency="month", aggregation="sum", higher_is_better=True)
    plans = pd.DataFrame(
        {
            "indicator_code": ["SYN"],
            "admin_unit_code": ["00"],
            "plan_year": [2025],
            "plan_value": [1.0],
        }
    )
    return values, plans


@pytest.fixture(scope="module")
def fitted(inputs: tuple[pd.DataFrame, pd.DataFrame]) -> pd.DataFrame:
    return fit_all(*inputs)


def test_a_refit_gives_the_same_rows(inputs, fitted: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(fit_all(*inputs), fitted)


def test_forecasts_recover_trend_and_season(fitted: pd.DataFrame) -> None:
    fc = fitted[fitted["record"] == "forecast"]
    assert set(fc["admin_unit_code"]) == {f"{i:02d}" for i in range(20)}
    ahead = pd.date_range("2026-01-01", periods=12, freq="MS")
    for unit, part in fc.groupby("admin_unit_code"):
        part = part.sort_values("period_start")
        assert list(pd.to_datetime(part["period_start"])) == list(ahead)
        assert list(part["horizon"]) == list(range(1, 13))
        expected = truth(int(unit), ahead)
        error = np.abs(part["forecast"].to_numpy() - expected) / expected
        assert error.mean() < 0.05, (unit, error.mean())
        # the intervals nest around the forecast and widen with the horizon
        assert (part["lo_95"] <= part["lo_80"]).all() and (part["hi_80"] <= part["hi_95"]).all()
        width = (part["hi_95"] - part["lo_95"]).to_numpy()
        assert width[-1] >= width[0]


def test_backtest_intervals_cover_about_95_percent(fitted: pd.DataFrame) -> None:
    scores = fitted[fitted["record"] == "score"]
    chosen = scores[scores["is_chosen"]]
    assert len(chosen) == 20  # one model per series
    points = chosen["backtest_points"].sum()
    covered = (chosen["coverage_95"] * chosen["backtest_points"]).sum() / points
    assert 85 <= covered <= 100, covered
    # a trend the seasonal-naive baseline cannot follow: a candidate beats it everywhere
    base = scores[scores["model"] == "SeasonalNaive"].set_index("admin_unit_code")["mape"]
    best = chosen.set_index("admin_unit_code")["mape"]
    assert (best < base.loc[best.index]).all()
    assert (chosen["model"] != "SeasonalNaive").all()


def test_short_and_sparse_series_are_listed_with_the_reason(fitted: pd.DataFrame) -> None:
    skipped = fitted[fitted["record"] == "skipped"].set_index("admin_unit_code")["reason"]
    assert skipped["short"] == "chỉ có 15 kỳ số liệu, cần ít nhất 24 (2 năm)"
    assert skipped["sparse"].startswith("thưa: có 32/47 kỳ")


def test_plan_chance_of_a_series(fitted: pd.DataFrame) -> None:
    # a plan of 1 for a series near 200 a month: already met
    fc = fitted[(fitted["record"] == "forecast") & (fitted["admin_unit_code"] == "00")]
    assert set(fc["plan_met_probability"].dropna()) == {1.0}


@pytest.mark.parametrize(
    ("expected", "sd", "plan", "lower", "want"),
    [
        (100, 10, 110, False, 1 - NormalDist(100, 10).cdf(110)),
        (100, 10, 90, False, 1 - NormalDist(100, 10).cdf(90)),
        (100, 10, 110, True, NormalDist(100, 10).cdf(110)),
        (100, 0, 100, False, 1.0),
        (100, 0, 101, False, 0.0),
    ],
)
def test_chance(expected: float, sd: float, plan: float, lower: bool, want: float) -> None:
    assert math.isclose(chance(expected, sd, plan, lower), want, abs_tol=1e-9)


def test_tet_days_follow_the_lunar_calendar() -> None:
    # Tết 2025: Mùng 1 on 29 January, the holiday 27 January – 2 February
    assert tet_days(date(2025, 1, 1)) == 5 and tet_days(date(2025, 2, 1)) == 2
    # Tết 2026: 17 February, all in February
    assert tet_days(date(2026, 1, 1)) == 0 and tet_days(date(2026, 2, 1)) == 7
