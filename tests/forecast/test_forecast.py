"""Forecasts on synthetic series with a known trend and yearly season, and on yearly and
school-year series with a known trend (forecast/fit.py)."""

from __future__ import annotations

import logging
import math
from datetime import date
from statistics import NormalDist

import numpy as np
import pandas as pd
import pytest

from forecast import apart, ets
from forecast.calendar import tet_days
from forecast.fit import fit_all
from forecast.inputs import figures_and_plans
from forecast.plan import chance
from forecast.result import fits

MONTHS = pd.date_range("2022-01-01", "2025-12-01", freq="MS")  # 48 months
NOISE = 3.0
YEARS = pd.date_range("2018-01-01", "2025-01-01", freq="YS")  # 8 years
SHORT = (100.0, 110.0, 125.0, 130.0)  # a yearly series of four figures
SCHOOL_YEARS = pd.date_range("2019-09-01", "2024-09-01", freq="YS-SEP")  # 2019-2020…2024-2025


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
    columns = ["indicator_code", "admin_unit_code", "period_start", "actual_value"]
    values = pd.DataFrame(rows, columns=columns).assign(
        frequency="month", aggregation="sum", higher_is_better=True
    )
    # yearly: a linear trend over 8 years (forecast); four, two and two a year apart (short
    # series: naive and drift); one (too short); no figure at all
    yearly = [("YR", "trend", d.date(), 500.0 + 40 * k + rng.normal(0, 2)) for k, d in
              enumerate(YEARS)]  # fmt: skip
    yearly += [("YR", "four", d.date(), v) for d, v in zip(YEARS[-4:], SHORT, strict=True)]
    yearly += [("YR", "two", d.date(), v) for d, v in zip(YEARS[-2:], (50.0, 60.0), strict=True)]
    yearly += [("YR", "gap", YEARS[-3].date(), 80.0), ("YR", "gap", YEARS[-1].date(), 90.0)]
    yearly += [("YR", "one", YEARS[-1].date(), 7.0)]
    yearly += [("YR", "empty", d.date(), None) for d in YEARS]
    school = [("SY", "56", d.date(), 1000.0 - 15 * k) for k, d in enumerate(SCHOOL_YEARS)]
    values = pd.concat(
        [
            values,
            pd.DataFrame(yearly, columns=columns).assign(frequency="year"),
            pd.DataFrame(school, columns=columns).assign(frequency="school_year"),
        ],
        ignore_index=True,
    ).assign(aggregation="sum", higher_is_better=True, indicator_group="syn")
    plans = pd.DataFrame(
        {
            "indicator_code": ["SYN", "YR"],
            "admin_unit_code": ["00", "trend"],
            "plan_year": [2026, 2026],
            "plan_value": [1.0, 1000.0],
        }
    )
    return values, plans


@pytest.fixture(scope="module")
def fitted(inputs: tuple[pd.DataFrame, pd.DataFrame]) -> pd.DataFrame:
    return fit_all(*inputs)


def test_a_refit_gives_the_same_rows(inputs, fitted: pd.DataFrame) -> None:
    pd.testing.assert_frame_equal(fit_all(*inputs), fitted)


def test_forecasts_recover_trend_and_season(fitted: pd.DataFrame) -> None:
    fc = fitted[(fitted["record"] == "forecast") & (fitted["frequency"] == "month")]
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
    scores = fitted[(fitted["record"] == "score") & (fitted["frequency"] == "month")]
    chosen = scores[scores["is_chosen"]]
    assert len(chosen) == 20  # one model per series
    points = chosen["backtest_points"].sum()
    # the calibrated intervals, each series scored with the calibration of the others
    covered = (chosen["coverage_95"] * chosen["backtest_points"]).sum() / points
    assert 90 <= covered <= 99, covered
    covered = (chosen["coverage_80"] * chosen["backtest_points"]).sum() / points
    assert 72 <= covered <= 88, covered
    # a trend the seasonal-naive baseline cannot follow: a candidate beats it everywhere
    base = scores[scores["model"] == "SeasonalNaive"].set_index("admin_unit_code")["mape"]
    best = chosen.set_index("admin_unit_code")["mape"]
    assert (best < base.loc[best.index]).all()
    assert (chosen["model"] != "SeasonalNaive").all()


def test_short_and_sparse_series_are_listed_with_the_reason(fitted: pd.DataFrame) -> None:
    skipped = fitted[fitted["record"] == "skipped"].set_index(["frequency", "admin_unit_code"])
    reason = skipped["reason"]
    assert reason["month", "short"] == "chỉ có 15 kỳ số liệu, cần ít nhất 24 (2 năm)"
    assert reason["month", "sparse"].startswith("thưa: có 32/47 kỳ")
    assert reason["year", "one"] == "chỉ có 1 năm có số liệu, cần ít nhất 2 năm"
    assert reason["year", "empty"] == "chưa có số liệu"
    assert len(skipped) == 4  # nothing else left out


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


def test_yearly_and_school_year_series_get_a_non_seasonal_forecast(fitted: pd.DataFrame) -> None:
    fc = fitted[fitted["record"] == "forecast"].set_index(["frequency", "admin_unit_code"])
    # the next year: 500 + 40 × 8 = 820, within a few percent
    year = fc.loc[("year", "trend")]
    assert pd.Timestamp(year["period_start"]) == pd.Timestamp("2026-01-01")
    assert year["horizon"] == 1 and abs(year["forecast"] - 820) / 820 < 0.03
    assert year["lo_95"] <= year["lo_80"] <= year["forecast"] <= year["hi_80"] <= year["hi_95"]
    # the school year 2025-2026 starts in September: 1000 − 15 × 6 = 910
    school = fc.loc[("school_year", "56")]
    assert pd.Timestamp(school["period_start"]) == pd.Timestamp("2025-09-01")
    assert abs(school["forecast"] - 910) / 910 < 0.03
    # backtested against the naive baseline (the seasonal naive of season 1), which the trend
    # models beat on a trend
    scores = fitted[(fitted["record"] == "score") & (fitted["admin_unit_code"] == "trend")]
    assert set(scores["model"]) == {"AutoETS", "RWD", "SeasonalNaive"}
    chosen = scores[scores["is_chosen"]]
    assert len(chosen) == 1 and chosen["model"].iloc[0] != "SeasonalNaive"
    assert (scores["backtest_points"] == 2).all()
    # a yearly plan is that of the year forecast: 1000 against about 820, far out of reach
    assert year["plan_year"] == 2026 and year["plan_met_probability"] < 0.05


def test_inputs_leave_out_periods_in_progress() -> None:
    indicators = pd.DataFrame(
        {
            "indicator_code": ["SY"],
            "frequency": ["school_year"],
            "aggregation": ["end_of_period"],
            "higher_is_better": [True],
            "indicator_group": ["giao_duc"],
        }
    )
    starts = [date(2024, 9, 1), date(2025, 9, 1), date(2025, 1, 1)]
    values = pd.DataFrame(
        {
            "indicator_code": "SY",
            "admin_unit_code": "56",
            "period_type": ["school_year", "school_year", "year"],
            "period_start": starts,
            "actual_value": [10.0, 3.0, None],
            "plan_value": [None, None, 12.0],
            "is_partial_period": [False, True, False],
        }
    )
    figures, plans = figures_and_plans(indicators, values)
    assert figures["period_start"].tolist() == [date(2024, 9, 1)]
    assert plans.to_dict("records") == [
        {"indicator_code": "SY", "admin_unit_code": "56", "plan_year": 2025, "plan_value": 12.0}
    ]


def test_short_yearly_series_get_the_naive_forecast_or_the_drift(fitted: pd.DataFrame) -> None:
    rows = fitted[fitted["frequency"] == "year"].set_index(["record", "admin_unit_code"])
    scores = rows.loc["score"].reset_index().set_index(["admin_unit_code", "model"])
    # four figures 100, 110, 125, 130: origins after the second and the third figure.
    # naive: 110 for 125, 125 for 130; drift: 110 + 10 = 120, 125 + 25 / 2 = 137.5
    naive_mape = (15 / 125 + 5 / 130) / 2 * 100
    drift_mape = (5 / 125 + 7.5 / 130) / 2 * 100
    assert math.isclose(scores.at[("four", "SeasonalNaive"), "mape"], naive_mape)
    assert math.isclose(scores.at[("four", "RWD"), "mape"], drift_mape)
    assert scores.loc["four", "backtest_points"].tolist() == [2, 2]
    assert scores.at[("four", "RWD"), "is_chosen"]  # it beats the baseline
    four = rows.loc["forecast"].loc["four"]
    assert four["model"] == "RWD" and four["forecast"] == 130 + 30 / 3
    # two figures: the naive alone, one origin; a gap between two figures is not filled
    assert scores.loc["two"].index.tolist() == ["SeasonalNaive"]
    assert scores.at[("two", "SeasonalNaive"), "backtest_points"] == 1
    assert rows.loc["forecast"].loc["two", "forecast"] == 60
    gap = scores.loc["gap"]
    assert gap.index.tolist() == ["SeasonalNaive"] and gap["mape"].iloc[0] == 10 / 90 * 100
    for unit in ("four", "two", "gap"):
        fc = rows.loc["forecast"].loc[[unit]]
        assert pd.Timestamp(fc["period_start"].iloc[0]) == pd.Timestamp("2026-01-01")
        assert (fc["lo_95"] <= fc["lo_80"]).all() and (fc["lo_80"] < fc["forecast"]).all()
        assert (fc["forecast"] < fc["hi_80"]).all() and (fc["hi_80"] <= fc["hi_95"]).all()


def _forms(store) -> pd.DataFrame:
    """The ETS forms kept in the store, per monthly series (forecast/ets.py)."""
    frame = pd.read_parquet(store / "month-forecast.parquet")
    return frame.drop_duplicates("unique_id").set_index("unique_id")[list(ets.KEPT)]


def test_a_monthly_refit_of_the_changed_series_reuses_their_ets_forms(
    inputs, fitted: pd.DataFrame, tmp_path, caplog
) -> None:
    """The stored fits (forecast/cache.py): a month where two series get a new figure and a
    third a revised one refits those three only, AutoETS in the forms it chose last time
    (no search); the others' raw fits are the stored ones. A cold store gives the rows of a
    full refit, and so does a store whose forms were searched a year before."""
    values, plans = inputs
    store = tmp_path / "fits"
    pd.testing.assert_frame_equal(fit_all(values, plans, cache=store), fitted)
    assert sorted(p.name for p in store.iterdir())[:3] == [
        "month-cv.parquet",
        "month-fitted.parquet",
        "month-forecast.parquet",
    ]
    before = _forms(store)
    assert (before[ets.SINCE] == MONTHS[-1]).all()
    assert before[ets.FORM].str.fullmatch("[AM][AN][ANM][ND]").all()
    month = MONTHS[-1] + pd.DateOffset(months=1)
    latest = values[values["admin_unit_code"].isin(["00", "01"])]
    latest = latest[latest["period_start"] == MONTHS[-1].date()]
    new = latest.assign(period_start=month.date(), actual_value=[300.0, 310.0])
    revised = pd.concat([values, new], ignore_index=True)
    changed = (revised["admin_unit_code"] == "02") & (revised["period_start"] == MONTHS[-3].date())
    revised.loc[changed, "actual_value"] += 7.5
    assert changed.sum() == 1
    with caplog.at_level(logging.INFO, logger="forecast.fit"):
        incremental = fit_all(revised, plans, cache=store)
    assert "forecast month: 3 of 20 series fitted anew" in caplog.text
    assert "forecast year: 0 of 1 series fitted anew" in caplog.text
    # the forms and when they were searched are kept
    pd.testing.assert_frame_equal(_forms(store), before)
    full = fit_all(revised, plans)

    # the refit shows: 00 is forecast from its new figure on, 02 from its revised figures;
    # 03's point forecasts are the stored ones (only its calibrated intervals may move)
    def points(frame: pd.DataFrame, uid: str) -> pd.Series:
        mine = frame[(frame["record"] == "forecast") & (frame["admin_unit_code"] == uid)]
        return mine.set_index("period_start")["forecast"]

    assert points(incremental, "00").index.min() == month + pd.DateOffset(months=1)
    first, after = points(fitted, "02"), points(incremental, "02")
    assert not np.allclose(first, after.loc[first.index])
    first, after = points(fitted, "03"), points(incremental, "03")
    assert len(after) == len(first) + 1
    assert (after.loc[first.index] == first).all()
    # the unchanged series' point forecasts are the full refit's; the refitted ones in last
    # month's forms stay within 2 % of the full refit's search
    for uid in (f"{i:02d}" for i in range(20)):
        mine, theirs = points(incremental, uid), points(full, uid)
        if uid in ("00", "01", "02"):
            assert np.allclose(mine, theirs, rtol=0.02), uid
        else:
            assert (mine == theirs).all(), uid

    # forms searched a year before, kept by other code or by the code before the digest was
    # kept are searched again: when the three series change again, the full refit's rows
    again = changed | (revised["period_start"] == month.date())
    assert again.sum() == 3
    kept = pd.read_parquet(store / "month-forecast.parquet")
    for older in (
        kept.assign(**{ets.SINCE: kept[ets.SINCE] - pd.DateOffset(years=1)}),
        kept.assign(code="x"),
        kept.drop(columns="code"),
    ):
        older.to_parquet(store / "month-forecast.parquet", index=False)
        revised.loc[again, "actual_value"] += 1.0
        full = fit_all(revised, plans)
        pd.testing.assert_frame_equal(fit_all(revised, plans, cache=store), full)
    searched = _forms(store)[ets.SINCE]
    assert list(searched.loc[["SYN|00", "SYN|01", "SYN|02"]]) == [month, month, MONTHS[-1]]


def test_the_inputs_of_the_last_refresh_get_its_result_back(
    inputs, fitted: pd.DataFrame, tmp_path
) -> None:
    """forecast/result.py: the same figures and plans (in another row order) give the last
    result back without fitting (the series' stored fits removed are not written again);
    a plan changed gives the result of a fit."""
    values, plans = inputs
    store = tmp_path / "fits"
    pd.testing.assert_frame_equal(fits(values, plans, store), fitted)
    for path in store.glob("*-*.parquet"):
        path.unlink()
    shuffled = values.sample(frac=1, random_state=1)
    pd.testing.assert_frame_equal(fits(shuffled, plans, store), fitted)
    assert [p.name for p in store.iterdir()] == ["result.parquet"]
    doubled = plans.assign(plan_value=plans["plan_value"] * 2)
    again = fits(values, doubled, store)
    assert (store / "month-forecast.parquet").exists()
    pd.testing.assert_frame_equal(again, fit_all(values, doubled))
    assert not again["plan_value"].equals(fitted["plan_value"])


def test_a_stored_form_that_no_longer_fits_is_searched_again(inputs, tmp_path) -> None:
    """A series whose stored ETS form no longer fits its figures (a month of zero for a
    multiplicative form) has both its forms searched again, dated from its newest figure:
    its rows are those of a full refit, and the next search is a year from then."""
    values, plans = inputs
    store = tmp_path / "fits"
    fit_all(values, plans, cache=store)
    kept = pd.read_parquet(store / "month-forecast.parquet")
    kept.loc[kept["unique_id"] == "SYN|00", [ets.FORM, ets.CV_FORM]] = "MAMN"
    kept.to_parquet(store / "month-forecast.parquet", index=False)
    month = MONTHS[-1] + pd.DateOffset(months=1)
    last = values[
        (values["admin_unit_code"] == "00") & (values["period_start"] == MONTHS[-1].date())
    ]
    later = pd.concat(
        [values, last.assign(period_start=month.date(), actual_value=0.0)], ignore_index=True
    )
    incremental = fit_all(later, plans, cache=store)
    pd.testing.assert_frame_equal(incremental, fit_all(later, plans))
    searched = _forms(store)[ets.SINCE]
    assert searched["SYN|00"] == month
    assert (searched.drop("SYN|00") == MONTHS[-1]).all()


def test_the_fits_run_apart_and_say_so_in_the_build_log(inputs, fitted, tmp_path, caplog):
    """forecast/apart.py: the fits run in a child process (not dbt's, whose other thread
    holds the interpreter lock half the time); its rows are those fitted here, its log
    records come back under their own logger and level, and a failure says why."""
    values, plans = inputs
    with caplog.at_level(logging.INFO, logger="forecast"):
        out = apart.fit_all(values, plans, tmp_path / "fits")
    pd.testing.assert_frame_equal(out, fitted)
    said = [r for r in caplog.records if "series fitted anew" in r.getMessage()]
    assert {(r.name, r.levelname) for r in said} == {("forecast.fit", "INFO")}
    assert {r.funcName for r in said} == {"_relog"}  # said by the child, logged again here
    failed = r"the forecast fits failed \(exit 1\): KeyError: 'actual_value'"
    with pytest.raises(RuntimeError, match=failed):
        apart.fit_all(values.drop(columns="actual_value"), plans, None)
