"""AutoETS of the seasonal series (months, quarters) one series at a time, keeping the form
each fit chose (error, trend, season, damping: statsforecast's ``components``, e.g. "MAAD"),
so that a refresh can fit a series again in the form it chose before instead of searching
the forms again (forecast/cache.py).

The fits are statsforecast's own (``ets_f``, ``forward_ets``, ``forecast_ets``), made as its
``StatsForecast.cross_validation(refit=False)`` and ``forecast(fitted=True)`` make them with
``AutoETS``: the backtest fits once at the first origin and carries the parameters to the next
ones; a series the library cannot fit gets the seasonal-naive fallback. Given no forms, the
frames are the ones ``StatsForecast`` gives (tests/forecast/test_forecast.py).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from forecast.series import Frequency

NAME = "AutoETS"
# kept with each series' forecasts: the forms chosen by the final fit and at the backtest's
# first origin, and the series' last period when they were searched
FORM, CV_FORM, SINCE = "ets_form", "ets_cv_form", "ets_searched_at"
KEPT = (FORM, CV_FORM, SINCE)
# the forms are searched again once a year per series: a series' figures of a year more may
# call for another form (a trend, a season grown visible); and at once, both of them, when one
# no longer fits (a figure of zero for a multiplicative form), the year counted from then
SEARCH_EVERY = pd.DateOffset(years=1)


def _columns(res: dict, levels: list[int], prefix: str = "") -> dict:
    """statsforecast's column names of one model's result."""
    key = "fitted" if prefix else "mean"
    out = {NAME: res[key]}
    for lv in sorted(levels, reverse=True):
        out[f"{NAME}-lo-{lv}"] = res[f"{prefix}lo-{lv}"]
    for lv in sorted(levels):
        out[f"{NAME}-hi-{lv}"] = res[f"{prefix}hi-{lv}"]
    return out


def _model(search, form: str | None):
    """``search`` (the AutoETS of fit._models), or the same fixed to ``form``."""
    from statsforecast.models import AutoETS

    if form is None:
        return search.new()
    return AutoETS(season_length=search.season_length, model=form[:3], damped=form[3] == "D")


def _fit(y: np.ndarray, form: str | None, search) -> tuple:
    """The fitted AutoETS in ``form`` if given and it still fits the figures (a figure of zero
    rules out a multiplicative form), else in the form the search chooses (None where no ETS
    model can be fitted: the library's fallback, the seasonal naive, stands in); and whether
    ``form`` was given and no longer fits."""
    if form:
        try:
            return _model(search, form).fit(y), False
        except Exception:  # the library's own failures: the search below
            pass
    try:
        return _model(search, None).fit(y), bool(form)
    except Exception:  # the library's own failures (too short, no model)
        return None, bool(form)


def _one(y: np.ndarray, freq: Frequency, h: int, levels: list[int], forms: tuple, search):
    """One series: its backtest (per window), forecast and one-step fits, its forms, and
    whether they were searched again because a form of ``forms`` no longer fits (then both
    are: both date from now)."""
    from statsforecast.ets import forecast_ets
    from statsforecast.models import SeasonalNaive, _add_fitted_pi, _calculate_sigma

    test = freq.backtest_h + freq.backtest_step * (freq.backtest_windows - 1)
    model, cv_failed = _fit(y[:-test], forms[1], search)
    full, failed = _fit(y, forms[0], search)
    again = cv_failed or failed
    if again and forms[1] and not cv_failed:
        model, _ = _fit(y[:-test], None, search)
    if again and forms[0] and not failed:
        full, _ = _fit(y, None, search)
    cv_form = model.model_["components"] if model else None
    model = model or SeasonalNaive(season_length=freq.season).fit(y[:-test])
    windows = []
    for cutoff in range(len(y) - test, len(y) - freq.backtest_h + 1, freq.backtest_step):
        res = model.forward(y=y[:cutoff], h=freq.backtest_h, level=levels)
        windows.append((cutoff, _columns(res, levels)))
    if full is None:
        res = SeasonalNaive(season_length=freq.season).forecast(y=y, h=h, level=levels, fitted=True)
        fits = _columns(res, levels), _columns(res, levels, "fitted-")
        return windows, *fits, (None, cv_form), again
    # AutoETS.forecast(fitted=True) on the fitted model
    mod = full.model_
    res = {**forecast_ets(mod, h=h, level=levels)}
    se = _calculate_sigma(y - mod["fitted"], len(y) - mod["n_params"])
    res = _add_fitted_pi(res={"fitted": res["fitted"], **res}, se=se, level=levels)
    return (
        windows,
        _columns(res, levels),
        _columns(res, levels, "fitted-"),
        (mod["components"], cv_form),
        again,
    )


def _reusable(previous: pd.DataFrame, train: pd.DataFrame) -> pd.DataFrame:
    """Per series fitted before: its forms, while they were searched less than a year before
    its newest figure (``SEARCH_EVERY``)."""
    if not set(KEPT) <= set(previous.columns):
        return pd.DataFrame(columns=list(KEPT))
    forms = previous.drop_duplicates("unique_id").set_index("unique_id")[list(KEPT)]
    newest = train.groupby("unique_id")["ds"].max()
    due = pd.to_datetime(forms[SINCE]) + SEARCH_EVERY
    return forms[forms.index.map(newest) < due]


def _frame(parts: list[dict]) -> pd.DataFrame:
    """One frame of many series' columns (arrays, or scalars repeated), built once."""
    lengths = [len(part["ds"]) for part in parts]
    return pd.DataFrame(
        {
            col: np.concatenate(
                [np.broadcast_to(p[col], (n,)) for p, n in zip(parts, lengths, strict=True)]
            )
            for col in parts[0]
        }
    )


def fits(
    train: pd.DataFrame,
    freq: Frequency,
    h: int,
    levels: list[int],
    previous: pd.DataFrame,
    search,
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """``train``: unique_id, ds, y; ``previous``: the stored forecast rows of series fitted
    before (forecast/cache.py); ``search``: the AutoETS that searches the forms. The
    backtest, the forecasts (with each series' ``KEPT`` columns) and the one-step fits, in
    statsforecast's frames."""
    forms = _reusable(previous, train)
    cvs, fcs, fitted = [], [], []
    for uid, part in train.sort_values(["unique_id", "ds"]).groupby("unique_id", sort=True):
        ds, y = part["ds"].to_numpy("datetime64[ns]"), part["y"].to_numpy(np.float64)
        known = forms.loc[uid] if uid in forms.index else None
        reuse = (None, None) if known is None else (known[FORM], known[CV_FORM])
        windows, fc, fit, (form, cv_form), again = _one(y, freq, h, levels, reuse, search)
        since = ds[-1] if known is None or again else known[SINCE]
        for cutoff, cols in windows:
            test = ds[cutoff : cutoff + freq.backtest_h]
            cvs.append({"unique_id": uid, "ds": test, "cutoff": ds[cutoff - 1], **cols})
        future = pd.date_range(ds[-1], periods=h + 1, freq=freq.pandas_freq)[1:]
        kept = {FORM: form, CV_FORM: cv_form, SINCE: np.datetime64(since, "ns")}
        fcs.append({"unique_id": uid, "ds": future.to_numpy("datetime64[ns]"), **fc, **kept})
        fitted.append({"unique_id": uid, "ds": ds, **fit})
    return _frame(cvs), _frame(fcs), _frame(fitted)
