"""Prediction intervals calibrated on the backtest's errors (split conformal prediction).

A model's own interval is taken as the shape (its width grows with the horizon as the model
says) and its scale is set from the backtest: for each backtest point the absolute error over
the interval's half-width, ``z = |y − ŷ| / half_width``; the calibrated interval is the
forecast ± ``k`` half-widths, ``k`` the conformal quantile of the pooled ``z``
(the ⌈(n+1)·q⌉-th smallest of n), at 80 % and at 95 % separately.

Points are pooled per model, across the series alike: the same indicator group and frequency,
else the same frequency, else every frequency (``z`` has no unit), the first pool with at
least ``MIN_POINTS`` points (else the broadest). The short yearly series' base intervals are
a scale, not the library's, and pool apart (``kind``). A zero-width interval cannot be
scaled: its points are left out of the pools. Where even the broadest pool has too few points
for the level's quantile, the model's own interval stands (``k`` = 1).

The forecasts use ``k`` from every point of the pool. The backtest's coverage is measured
honestly with ``k`` from the pool without the series' own points (cross-conformal, leave one
series out), so it is not the calibration's own data checked against itself.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

LEVELS = (80, 95)
MIN_POINTS = 30
POOLS = (["model", "kind", "group", "freq"], ["model", "kind", "freq"], ["model", "kind"])


def conformal_quantile(z: np.ndarray, q: float) -> float | None:
    """The ⌈(n+1)·q⌉-th smallest of ``z``; None when there are fewer than that (the
    interval would be unbounded: 19 points at least for 95 %, 4 for 80 %)."""
    rank = math.ceil((len(z) + 1) * q)
    return float(np.sort(z)[rank - 1]) if rank <= len(z) else None


def points(cv: pd.DataFrame, names: list[str], pools: pd.DataFrame) -> pd.DataFrame:
    """Every backtest point of every model: unique_id, model, z_80, z_95 and the pool keys
    (``pools``: unique_id, kind, group, freq)."""
    parts = []
    for name in names:
        part = cv[cv[name].notna()]
        err = (part["y"] - part[name]).abs()
        frame = {"unique_id": part["unique_id"].to_numpy(), "model": name}
        for lv in LEVELS:
            half = ((part[f"{name}-hi-{lv}"] - part[f"{name}-lo-{lv}"]) / 2).to_numpy()
            with np.errstate(divide="ignore", invalid="ignore"):
                frame[f"z_{lv}"] = np.where(half > 0, err.to_numpy() / half, np.nan)
        parts.append(pd.DataFrame(frame))
    return pd.concat(parts, ignore_index=True).merge(pools, on="unique_id")


def factors(pts: pd.DataFrame) -> pd.DataFrame:
    """Per series × model: ``k_<level>`` (the whole pool) and ``k_<level>_loso`` (the pool
    without the series)."""
    # each pool's valid z and their series as numpy arrays, once, the series as integer codes
    # (pandas per lookup, and comparing object ids, cost seconds)
    pts = pts.assign(series=pd.factorize(pts["unique_id"])[0])
    pools = {}
    for keys in POOLS:
        pools[tuple(keys)] = groups = {}
        for group, part in pts.groupby(keys, dropna=False):
            groups[group] = {}
            for lv in LEVELS:
                z = part[f"z_{lv}"].to_numpy(np.float64)
                valid = ~np.isnan(z)
                groups[group][lv] = (part["series"].to_numpy()[valid], z[valid])
    firsts = pts.drop_duplicates(["unique_id", "model"]).sort_values(["unique_id", "model"])
    rows = []
    for first in firsts.to_dict("records"):
        row = {"unique_id": first["unique_id"], "model": first["model"]}
        for lv in LEVELS:
            full = loso = None
            for keys, groups in pools.items():
                ids, all_z = groups[tuple(first[k] for k in keys)][lv]
                other_z = all_z[ids != first["series"]]
                full = all_z if full is None and len(all_z) >= MIN_POINTS else full
                loso = other_z if loso is None and len(other_z) >= MIN_POINTS else loso
            # the broadest pool when none is large enough
            full = all_z if full is None else full
            loso = other_z if loso is None else loso
            for name, z in ((f"k_{lv}", full), (f"k_{lv}_loso", loso)):
                k = conformal_quantile(z, lv / 100)
                row[name] = 1.0 if k is None else k
        rows.append(row)
    return pd.DataFrame(rows)


def apply(frame: pd.DataFrame, names: list[str], k: pd.DataFrame, loso: bool) -> pd.DataFrame:
    """``frame`` (statsforecast's columns) with each model's intervals rescaled: forecast ±
    k half-widths; the 95 % interval never inside the 80 % one."""
    out = frame.copy()
    suffix = "_loso" if loso else ""
    for name in names:
        if name not in out:
            continue
        mine = k[k["model"] == name].set_index("unique_id")
        for lv in LEVELS:
            scale = out["unique_id"].map(mine[f"k_{lv}{suffix}"]).fillna(1.0)
            half = (out[f"{name}-hi-{lv}"] - out[f"{name}-lo-{lv}"]) / 2
            out[f"{name}-lo-{lv}"] = out[name] - scale * half
            out[f"{name}-hi-{lv}"] = out[name] + scale * half
        out[f"{name}-lo-95"] = np.fmin(out[f"{name}-lo-95"], out[f"{name}-lo-80"])
        out[f"{name}-hi-95"] = np.fmax(out[f"{name}-hi-95"], out[f"{name}-hi-80"])
    return out
