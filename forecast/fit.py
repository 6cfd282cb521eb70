"""Fit every series in one vectorised call per frequency (a monthly or quarterly series'
AutoETS series by series, keeping the forms it chose: forecast/ets.py), backtest each
candidate and the seasonal-naive baseline on rolling origins, keep the model that beats the
baseline, and calibrate every model's intervals on its backtest errors
(forecast/calibrate.py). Yearly series too short for the library's models get the naive
forecast and the drift (forecast/short.py).

``fit_all`` returns one long frame (``record`` = forecast | score | skipped) that the dbt
Python model ``int_indicator_forecast_fits`` stores; the marts split it.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from forecast import cache as fit_cache
from forecast import calibrate, ets, short
from forecast.calendar import tet_days
from forecast.plan import plan_chances
from forecast.series import FREQUENCIES, MAX_STALE_YEARS, Frequency, periods_between, split

log = logging.getLogger(__name__)

LEVELS = (80, 95)
BASELINE = "SeasonalNaive"
COLUMNS = [
    "record", "indicator_code", "admin_unit_code", "frequency", "period_start", "horizon",
    "model", "actual", "forecast", "lo_80", "hi_80", "lo_95", "hi_95", "history", "mape", "mae",
    "coverage_80", "coverage_95", "backtest_points", "is_chosen", "reason",
    "plan_year", "plan_value", "plan_expected_value", "plan_met_probability",
]  # fmt: skip
TEXT = ["record", "indicator_code", "admin_unit_code", "frequency", "model", "reason"]
TYPES = {
    **{c: "float64" for c in COLUMNS},
    **{c: "string" for c in TEXT},
    "period_start": "datetime64[us]",
    "is_chosen": "boolean",
}


def _models(freq: Frequency) -> list:
    # AutoETS, ARIMA and SeasonalNaive run on statsforecast's compiled kernels: no Numba JIT
    # on this path (measured: the first fit costs what the next does); the start-up is the
    # import (numba, statsmodels), paid once per refresh in the dbt Python node.
    from statsforecast.models import AutoETS, RandomWalkWithDrift, SeasonalNaive

    from forecast.arima import CSSARIMA

    if freq.season == 1:
        # years and school years: no season; the baseline (seasonal naive of season 1) is
        # the naive forecast, the last year again
        return [AutoETS(season_length=1), RandomWalkWithDrift(), SeasonalNaive(season_length=1)]
    models = [AutoETS(season_length=freq.season), SeasonalNaive(season_length=freq.season)]
    if freq.name == "month":
        # Tết moves between January and February: a seasonal ARIMA of fixed order (no
        # order search: the search costs ten times the fit) with the Tết days as regressor,
        # its sum of squares minimised directly (forecast/arima.py)
        tet = CSSARIMA(order=(1, 0, 0), seasonal_order=(0, 1, 0), season_length=12,
                       include_drift=True, method="CSS", alias="ARIMA_Tet")  # fmt: skip
        models.insert(1, tet)
    return models


def _with_tet(frame: pd.DataFrame, freq: Frequency) -> pd.DataFrame:
    if freq.name != "month":
        return frame
    days = {ds: tet_days(ds.date()) for ds in frame["ds"].unique()}
    return frame.assign(tet=frame["ds"].map(days).astype(float))


def _future(train: pd.DataFrame, h: int, freq: Frequency) -> pd.DataFrame:
    last = train.groupby("unique_id")["ds"].max()
    rows = [
        {"unique_id": uid, "ds": d}
        for uid, end in last.items()
        for d in pd.date_range(end, periods=h + 1, freq=freq.pandas_freq)[1:]
    ]
    return _with_tet(pd.DataFrame(rows), freq)


def _score(cv: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    out = []
    for name in names:
        part = cv[cv[name].notna()]  # a model backtested on fewer origins (short.py)
        err = (part["y"] - part[name]).abs()
        nonzero = part["y"] != 0
        frame = pd.DataFrame(
            {
                "unique_id": part["unique_id"],
                "ape": (err / part["y"].abs()).where(nonzero) * 100,
                "err": err,
                "in80": (part["y"] >= part[f"{name}-lo-80"]) & (part["y"] <= part[f"{name}-hi-80"]),
                "in95": (part["y"] >= part[f"{name}-lo-95"]) & (part["y"] <= part[f"{name}-hi-95"]),
            }
        )
        agg = frame.groupby("unique_id").agg(
            mape=("ape", "mean"),
            mae=("err", "mean"),
            coverage_80=("in80", "mean"),
            coverage_95=("in95", "mean"),
            backtest_points=("err", "size"),
        )
        out.append(agg.reset_index().assign(model=name))
    scores = pd.concat(out, ignore_index=True)
    scores[["coverage_80", "coverage_95"]] *= 100
    return scores


def _choose(scores: pd.DataFrame) -> pd.Series:
    """Per series the candidate with the lowest backtest MAPE (MAE where MAPE is undefined)
    if it beats the baseline's, else the baseline."""
    key = scores["mape"].where(scores.groupby("unique_id")["mape"].transform("count") > 0)
    key = key.fillna(scores["mae"] / scores.groupby("unique_id")["mae"].transform("max"))
    ranked = scores.assign(key=key.fillna(np.inf), base=scores["model"] != BASELINE)
    # ties go to the baseline: a candidate has to beat it
    best = ranked.sort_values(["unique_id", "key", "base"]).groupby("unique_id").head(1)
    return best.set_index("unique_id")["model"]


@dataclass
class Fitted:
    """One frequency's raw fits: backtests, forecasts and one-step fits of every model (their
    own intervals, calibrated in ``fit_all``), the training series (gaps inside filled by
    interpolation) and the kind of each series."""

    cv: pd.DataFrame
    forecasts: pd.DataFrame
    fitted: pd.DataFrame
    train: pd.DataFrame
    kinds: pd.Series  # unique_id → "model" (the library's) or "short" (short.py)


def horizon(freq: Frequency) -> int:
    """The periods each library series is forecast: as many as the stalest series kept
    (``MAX_STALE_YEARS`` behind the newest figure) needs to reach twelve months past the
    newest, the same for every series so that one series' fit never depends on the others'
    (forecast/cache.py); each series' rows beyond its own twelve months are cut (``_finish``).
    """
    return freq.season * (1 + MAX_STALE_YEARS)


def _library(train: pd.DataFrame, freq: Frequency, n_jobs: int, previous: pd.DataFrame):
    """Backtest, forecast and one-step fits of the library's models, in one vectorised call
    each; a seasonal series' AutoETS one series at a time, in the forms it chose before where
    ``previous`` (its stored forecast rows) has them (forecast/ets.py)."""
    from statsforecast import StatsForecast
    from statsforecast.models import SeasonalNaive

    models = _models(freq)
    own_ets = freq.season > 1
    search = next(m for m in models if repr(m) == ets.NAME)
    sf = StatsForecast(
        models=[m for m in models if not (own_ets and m is search)],
        freq=freq.pandas_freq,
        n_jobs=n_jobs,
        fallback_model=SeasonalNaive(season_length=freq.season),
    )
    data = _with_tet(train, freq)
    cv = sf.cross_validation(
        df=data,
        h=freq.backtest_h,
        n_windows=freq.backtest_windows,
        step_size=freq.backtest_step,
        level=list(LEVELS),
        # the parameters fitted at the first origin carried to the next ones (a full refit
        # per window triples the cost, AutoETS's model search most of it); yearly series
        # are few and the random walk with drift cannot be carried: refitted
        refit=freq.season == 1,
    )
    h = horizon(freq)
    fc = sf.forecast(df=data, h=h, X_df=_future(train, h, freq), level=list(LEVELS), fitted=True)
    fitted = sf.forecast_fitted_values()
    if not own_ets:
        return cv, fc, fitted
    own = ets.fits(train, freq, h, list(LEVELS), previous, search)
    # AutoETS's columns first, where StatsForecast puts the first of its models
    frames = []
    for frame, mine in zip((cv, fc, fitted), own, strict=True):
        frame = frame.reset_index(drop="unique_id" in frame.columns)
        keys = [c for c in ("unique_id", "ds", "cutoff") if c in frame.columns]
        lead = [c for c in [*keys, "y"] if c in frame.columns]
        rest = frame.columns.difference(lead, sort=False)
        frames.append(frame[lead].merge(mine, on=keys, how="left").join(frame[rest]))
    return tuple(frames)


def fit_frequency(
    values: pd.DataFrame,
    freq: Frequency,
    as_of: pd.Timestamp,
    n_jobs: int = 1,
    cache: Path | None = None,
):
    """The raw fits of one frequency (:class:`Fitted`, None when no series is long enough)
    and the series skipped with the reason. With ``cache`` (a folder), the library's fits
    of the series whose input is unchanged since they were stored there are reused
    (forecast/cache.py)."""
    train, skipped = split(values, as_of, freq)
    if train.empty:
        return None, skipped
    length = train.groupby("unique_id")["ds"].transform("size")
    is_short = length < freq.model_periods

    def h_of(part: pd.DataFrame) -> int:
        lag = part.groupby("unique_id")["ds"].max().map(lambda d: periods_between(d, as_of, freq))
        return freq.season + int(lag.max()) - 1

    cvs, fcs, fits = [], [], []
    if (~is_short).any():
        cv, fc, fitted, refit = fit_cache.fits(
            train.loc[~is_short],
            freq,
            cache,
            lambda part, previous: _library(part, freq, n_jobs, previous),
        )
        fitted_n = train.loc[~is_short, "unique_id"].nunique()
        log.info("forecast %s: %d of %d series fitted anew", freq.name, len(refit), fitted_n)
        cvs.append(cv)
        fcs.append(fc)
        fits.append(fitted)
    if is_short.any():
        figures = train[is_short & train["observed"]]
        cv = short.backtest(figures, freq)
        cvs.append(cv)
        fcs.append(short.forecast(figures, h_of(figures), freq))
        fits.append(short.fitted(cv))
    kinds = pd.Series(np.where(is_short, "short", "model"), index=train["unique_id"])
    kinds = kinds[~kinds.index.duplicated()]
    cv, fc, fitted = (pd.concat(f, ignore_index=True) for f in (cvs, fcs, fits))
    # the backtest scores figures, not the gaps filled between them
    cv = cv.merge(train.loc[train["observed"], ["unique_id", "ds"]], on=["unique_id", "ds"])
    return Fitted(cv, fc, fitted, train, kinds), skipped


def _names(frame: pd.DataFrame) -> list[str]:
    """The models of a statsforecast-shaped frame (the columns with intervals beside)."""
    return [c for c in frame.columns if f"{c}-lo-95" in frame.columns]


def _finish(fit: Fitted, k: pd.DataFrame, freq: Frequency, as_of: pd.Timestamp):
    """Scores (calibrated left one series out), the chosen model's calibrated forecasts and
    one-step fits of the last year."""
    names = _names(fit.cv)
    chosen = _choose(_score(fit.cv, names))
    scores = _score(calibrate.apply(fit.cv, names, k, loso=True), names)
    scores["is_chosen"] = scores["model"].eq(scores["unique_id"].map(chosen))
    forecasts = _pick(calibrate.apply(fit.forecasts, names, k, loso=False), names, chosen)
    last = fit.train.groupby("unique_id")["ds"].max()
    forecasts["horizon"] = [
        periods_between(last[u], d, freq) - 1
        for u, d in zip(forecasts["unique_id"], forecasts["ds"], strict=True)
    ]
    forecasts = forecasts[forecasts["ds"] <= as_of + pd.DateOffset(months=12)]
    forecasts = forecasts.merge(
        fit.train.groupby("unique_id").size().rename("history").reset_index(), on="unique_id"
    )
    # one-step-ahead fits of the last year: what off-trend alerts compare the figures with
    fitted = fit.fitted[
        fit.fitted["ds"] > fit.fitted["unique_id"].map(last) - pd.DateOffset(years=1)
    ]
    fitted = _pick(calibrate.apply(fitted, names, k, loso=False), names, chosen)
    return forecasts, scores, fitted


def _points(fits: dict, values: pd.DataFrame) -> pd.DataFrame:
    """The backtest points of every frequency with their pool keys (calibrate.py)."""
    groups = values.drop_duplicates("unique_id").set_index("unique_id")["indicator_group"]
    parts = []
    for name, (fit, _, _) in fits.items():
        pools = pd.DataFrame({"kind": fit.kinds, "freq": name}).rename_axis("unique_id")
        pools["group"] = pools.index.map(groups).fillna("").astype(str)
        parts.append(calibrate.points(fit.cv, _names(fit.cv), pools.reset_index()))
    return pd.concat(parts, ignore_index=True)


def _pick(fc: pd.DataFrame, names: list[str], chosen: pd.Series) -> pd.DataFrame:
    """Each series' rows of its chosen model, columns named alike."""
    picked = []
    for name in names:
        part = fc[fc["unique_id"].map(chosen) == name]
        picked.append(
            pd.DataFrame(
                {
                    "unique_id": part["unique_id"],
                    "ds": part["ds"],
                    "model": name,
                    **({"actual": part["y"]} if "y" in part else {}),
                    "forecast": part[name],
                    **{
                        f"{side}_{lv}": part[f"{name}-{side}-{lv}"]
                        for lv in LEVELS
                        for side in ("lo", "hi")
                    },
                }
            )
        )
    return pd.concat(picked, ignore_index=True)


def fit_all(
    values: pd.DataFrame, plans: pd.DataFrame, n_jobs: int = 1, cache: Path | None = None
) -> pd.DataFrame:
    """``values``: indicator_code, admin_unit_code, frequency, aggregation,
    higher_is_better, indicator_group, period_start, actual_value (figures at the
    indicator's frequency); ``plans``: indicator_code, admin_unit_code, plan_year,
    plan_value (annual plans). ``cache``: the folder of the stored fits (forecast/cache.py);
    the result is that of a full refit but for the AutoETS of the seasonal series refitted
    in the forms they chose before (within a year of the search, forecast/ets.py)."""
    values = values.assign(
        unique_id=values["indicator_code"] + "|" + values["admin_unit_code"],
        ds=pd.to_datetime(values["period_start"]),
        y=values["actual_value"].astype(float),
    )
    parts, fits = [], {}
    for name, freq in FREQUENCIES.items():
        of_freq = values[values["frequency"] == name]
        if of_freq.empty:
            continue
        as_of = of_freq.dropna(subset=["y"])["ds"].max()
        with warnings.catch_warnings():
            # statsforecast's ARIMA warns of each optimisation stopped early: hundreds of
            # lines a refresh, none actionable (the backtest judges each fit)
            warnings.filterwarnings("ignore", "possible convergence problem", UserWarning)
            fit, skipped = fit_frequency(of_freq, freq, as_of, n_jobs, cache)
        if not skipped.empty:
            parts.append(skipped.assign(record="skipped", frequency=name))
        if fit is not None:
            fits[name] = (fit, of_freq, as_of)
    if fits:
        k = calibrate.factors(_points(fits, values))
    for name, (fit, of_freq, as_of) in fits.items():
        forecasts, scores, fitted = _finish(fit, k, FREQUENCIES[name], as_of)
        chances = plan_chances(of_freq, fit.train, forecasts, plans)
        forecasts = forecasts.merge(chances, on="unique_id", how="left")
        records = {"forecast": forecasts, "score": scores, "fitted": fitted}
        for record, frame in records.items():
            if not frame.empty:
                parts.append(frame.assign(record=record, frequency=name))
    out = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame({"unique_id": []})
    keys = out["unique_id"].astype("string").str.split("|", n=1)
    out["indicator_code"] = keys.str[0]
    out["admin_unit_code"] = keys.str[1]
    out["period_start"] = pd.to_datetime(out["ds"]) if "ds" in out else pd.NaT
    # the same column types whatever the data (an empty or all-skipped run included)
    out = pd.DataFrame({c: out.get(c) for c in COLUMNS}, index=out.index)
    out = out.astype(TYPES)
    return out.sort_values(
        ["record", "indicator_code", "admin_unit_code", "model", "period_start"],
        na_position="first",
    ).reset_index(drop=True)
