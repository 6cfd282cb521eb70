"""The library's fits of each series kept beside the build database, keyed by a fingerprint
of the series' input, so that a refresh refits only the series whose figures changed.

A series' raw fits (its backtest, forecasts and one-step fits of every model, before the
calibration) depend on its own training rows alone: statsforecast fits each series apart,
and the forecast horizon is the same for every series of a frequency (forecast/fit.py). The
fingerprint is a hash of those rows (period, value, observed or filled), of the frequency's
settings, the library's version and the code that fits; a series whose fingerprint is
stored gets its stored rows back, bit for bit (Parquet keeps float64 as it is), the others
are fitted. What depends on every series (the pooled calibration, the choice of model, the
plan chances) is computed again from all of them on every refresh.

One thing of a series' last fit is reused when it is fitted again: the AutoETS forms (error,
trend, season, damping) a monthly or quarterly series chose, kept with its forecast rows;
its AutoETS is fitted again in them, its parameters estimated anew, without the search of
the forms (most of the fit's cost, forecast/ets.py). The forms are searched again once a
year per series, whenever the store is cold, and when the code that fits or the library
changed (``_salt``). So a refresh with the store gives the rows of a full refit except for
the AutoETS of the series refitted within the year, which may differ from those of a new
search (benchmarks/README.md measures by how much). The store holds the series of the last
refresh only; removing it costs one full refit, nothing else.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path

import numpy as np
import pandas as pd

from forecast import ets
from forecast.series import Frequency

PARTS = ("cv", "forecast", "fitted")
Fits = tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]  # statsforecast's three frames
_CODE = ("fit.py", "cache.py", "calendar.py", "ets.py", "arima.py")


def _salt(freq: Frequency) -> bytes:
    """What every fingerprint of a frequency includes besides the rows."""
    here = Path(__file__).parent
    code = b"".join((here / name).read_bytes() for name in _CODE)
    return repr(freq).encode() + version("statsforecast").encode() + code


def fingerprints(series: pd.DataFrame, freq: Frequency) -> pd.Series:
    """unique_id → a hex digest of the series' rows (``ds``, ``y``, ``observed``)."""
    salt = _salt(freq)
    out = {}
    for uid, group in series.sort_values(["unique_id", "ds"]).groupby("unique_id", sort=True):
        h = hashlib.sha256(salt)
        h.update(str(uid).encode())
        h.update(group["ds"].to_numpy("datetime64[ns]").view("int64").tobytes())
        h.update(group["y"].to_numpy("float64").tobytes())
        if "observed" in group:
            h.update(group["observed"].to_numpy(bool).tobytes())
        out[uid] = h.hexdigest()
    return pd.Series(out, name="fingerprint", dtype="object")


def _normal(frame: pd.DataFrame) -> pd.DataFrame:
    """One row order and one set of types, whether the rows were fitted now or stored."""
    frame = frame.reset_index(drop=("unique_id" in frame.columns)).copy()
    frame["unique_id"] = frame["unique_id"].astype(str).astype(object)
    for col in ("ds", "cutoff"):
        if col in frame:
            frame[col] = pd.to_datetime(frame[col]).astype("datetime64[ns]")
    keys = [c for c in ("unique_id", "cutoff", "ds") if c in frame]
    return frame.sort_values(keys, kind="stable").reset_index(drop=True)


def _file(folder: Path, freq: Frequency, part: str) -> Path:
    return folder / f"{freq.name}-{part}.parquet"


def _nothing() -> pd.DataFrame:
    """No stored rows."""
    return pd.DataFrame({"unique_id": []})


def _code(freq: Frequency) -> str:
    """The digest of the code and settings that fitted (``_salt``), stored with each row."""
    return hashlib.sha256(_salt(freq)).hexdigest()


def _stored(
    folder: Path, freq: Frequency, prints: pd.Series
) -> tuple[list[pd.DataFrame] | None, pd.DataFrame]:
    """The stored frames of the series whose fingerprint is unchanged, and the stored
    forecast rows of the others fitted by the same code (what ``fit`` may reuse of their
    last fit)."""
    files = [_file(folder, freq, part) for part in PARTS]
    if not all(f.exists() for f in files):
        return None, _nothing()
    frames, previous = [], _nothing()
    for part, f in zip(PARTS, files, strict=True):
        frame = pd.read_parquet(f)
        same = frame["unique_id"].map(prints).eq(frame["fingerprint"])
        # a store written before the digest was kept has none: not ours
        ours = frame["code"].eq(_code(freq)) if "code" in frame else False
        frame = frame.drop(columns=["fingerprint", "code"], errors="ignore")
        frames.append(frame[same])
        if part == "forecast":
            previous = frame[~same & ours]
    return frames, previous


def _store(folder: Path, freq: Frequency, frames: Fits, prints: pd.Series) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for part, frame in zip(PARTS, frames, strict=True):
        path = _file(folder, freq, part)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        frame = frame.assign(fingerprint=frame["unique_id"].map(prints), code=_code(freq))
        frame.to_parquet(tmp, index=False)
        os.replace(tmp, path)


def fits(
    series: pd.DataFrame,
    freq: Frequency,
    folder: Path | None,
    fit: Callable[[pd.DataFrame, pd.DataFrame], Fits],
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame, list[str]]:
    """The three frames of ``fit`` over every series of ``series`` (unique_id, ds, y,
    observed), fitting only the series not stored under ``folder`` with the same fingerprint
    (all of them when ``folder`` is None); also the ids of the series fitted now. ``fit``
    gets the series to fit and the stored forecast rows of those of them fitted before (with
    the ETS forms chosen then, forecast/ets.py)."""
    prints = fingerprints(series, freq)
    stored, previous = _stored(folder, freq, prints) if folder is not None else (None, _nothing())
    have = set(stored[1]["unique_id"]) if stored is not None else set()
    todo = sorted(set(prints.index) - have)
    parts = [] if stored is None else [[f[f["unique_id"].isin(have)]] for f in stored]
    if not parts:
        parts = [[], [], []]
    if todo:
        fresh = fit(series[series["unique_id"].isin(todo)][["unique_id", "ds", "y"]], previous)
        for acc, frame in zip(parts, fresh, strict=True):
            acc.append(_normal(frame))
    frames = tuple(_normal(pd.concat(acc, ignore_index=True)) for acc in parts)
    for frame in frames:
        numeric = frame.columns.difference(["unique_id", "ds", "cutoff", *ets.KEPT])
        frame[numeric] = frame[numeric].astype(np.float64)
    if folder is not None and todo:
        _store(folder, freq, frames, prints)
    return (*frames, todo)
