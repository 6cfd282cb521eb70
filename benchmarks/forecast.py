"""The forecast fit of every series, timed, and its backtest quality per indicator group.

    .venv/bin/python -m benchmarks.forecast --scale 1 [--n-jobs 1 2] [--month] [--profile F]

Reads ``marts.dim_indicator`` and ``marts.fct_indicator_value_current_unit`` from a built
database (``--db``, default what the SF<scale> benchmark published last,
``/work/bench/sf<scale>/run/serving/ioc.duckdb``, copied first), prepares the inputs as
the dbt model ``int_indicator_forecast_fits`` does (forecast/inputs.py) and calls
``forecast.fit.fit_all`` once per ``--n-jobs`` value. Prints per run one JSON line: series
forecast and skipped by frequency, the fit's wall time, CPU time (this process and its
workers) and the load average; then, per indicator group, the median backtest MAPE and the
pooled 80 % / 95 % interval coverage (share of backtest points inside) of the chosen models
against the seasonal-naive baseline, and the quantiles of the chosen models' MAPE per
frequency.

``--month`` also times a monthly refresh through the store (forecast/cache.py): the store
filled (not timed) from the figures without each monthly series' last one, then the whole
figures fitted with it, compared with the full fit (``versus_full``); ``--profile F``
writes the cProfile statistics of the full fit to ``F``; ``--save F`` the full fit's rows
as Parquet (and the month's beside it, ``F.month.parquet``), to compare two versions of the
code.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import logging
import os
import resource
import shutil
import tempfile
import time
from pathlib import Path

import duckdb
import pandas as pd

from forecast.fit import BASELINE, fit_all
from forecast.inputs import figures_and_plans


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    workers = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + workers.ru_utime + workers.ru_stime


def read_inputs(db: Path) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    with tempfile.TemporaryDirectory(prefix="ioc-bench-forecast-") as tmp:
        copy = Path(tmp) / "ioc.duckdb"
        shutil.copyfile(db, copy)
        with duckdb.connect(str(copy), read_only=True) as con:
            indicators = con.execute("select * from marts.dim_indicator").df()
            values = con.execute("select * from marts.fct_indicator_value_current_unit").df()
    figures, plans = figures_and_plans(indicators, values)
    return figures, plans, indicators


def _pooled(scores: pd.DataFrame, column: str) -> float:
    points = scores["backtest_points"]
    return round(float((scores[column] * points).sum() / points.sum()), 1)


def quality(fits: pd.DataFrame, indicators: pd.DataFrame) -> pd.DataFrame:
    """Per indicator group (and ``(tất cả)``): the chosen models against the baseline."""
    scores = fits[fits["record"] == "score"].merge(
        indicators[["indicator_code", "indicator_group"]], on="indicator_code"
    )
    rows = []
    groups = [*sorted(scores["indicator_group"].dropna().unique()), "(tất cả)"]
    for group in groups:
        part = scores if group == "(tất cả)" else scores[scores["indicator_group"] == group]
        chosen, base = part[part["is_chosen"].fillna(False)], part[part["model"] == BASELINE]
        rows.append(
            {
                "group": group,
                "series": len(chosen),
                "mape_chosen": round(float(chosen["mape"].median()), 1),
                "mape_baseline": round(float(base["mape"].median()), 1),
                "cov95_chosen": _pooled(chosen, "coverage_95"),
                "cov95_baseline": _pooled(base, "coverage_95"),
                "cov80_chosen": _pooled(chosen, "coverage_80"),
                "cov80_baseline": _pooled(base, "coverage_80"),
            }
        )
    return pd.DataFrame(rows)


def mape_quantiles(fits: pd.DataFrame) -> dict:
    """Per frequency: the 10/25/50/75/90 % quantiles of the chosen models' backtest MAPE."""
    chosen = fits[(fits["record"] == "score") & fits["is_chosen"].fillna(False)]
    qs = (0.1, 0.25, 0.5, 0.75, 0.9)
    return {
        str(freq): [round(float(part["mape"].quantile(q)), 2) for q in qs]
        for freq, part in chosen.groupby("frequency")
    }


def versus(month: pd.DataFrame, full: pd.DataFrame) -> dict:
    """The month through the store against a full refit of the same figures: series whose
    forecast moved, whose chosen model changed, whose chosen backtest MAPE got better or
    worse."""
    keys = ["indicator_code", "admin_unit_code", "frequency"]

    def rows(fits: pd.DataFrame, record: str) -> pd.DataFrame:
        part = fits[fits["record"] == record]
        if record == "score":
            part = part[part["is_chosen"].fillna(False)]
        return part.set_index([*keys, "period_start"] if record == "forecast" else keys)

    moved = rows(month, "forecast")["forecast"].ne(rows(full, "forecast")["forecast"])
    a, b = rows(month, "score"), rows(full, "score")
    diff = (a["mape"] - b["mape"].reindex(a.index)).dropna()
    return {
        "forecast_moved": int(moved.groupby(level=keys).any().sum()),
        "chosen_model_changed": int(a["model"].ne(b["model"].reindex(a.index)).sum()),
        "chosen_mape_better": int((diff < -1e-9).sum()),
        "chosen_mape_worse": int((diff > 1e-9).sum()),
    }


def previous_month(figures: pd.DataFrame) -> pd.DataFrame:
    """The figures as they were a month before: each monthly series' last figure left out
    (a monthly refresh gives every monthly series a figure more)."""
    monthly = figures["frequency"] == "month"
    keys = ["indicator_code", "admin_unit_code"]
    last = figures[monthly].groupby(keys)["period_start"].transform("max")
    return figures.drop(last[figures.loc[monthly, "period_start"] == last].index)


class _Anew(logging.Handler):
    """The fit's "forecast <frequency>: n of m series fitted anew" lines."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(record.getMessage())


def run(
    figures: pd.DataFrame,
    plans: pd.DataFrame,
    n_jobs: int,
    cache: Path | None = None,
    profile: Path | None = None,
) -> tuple[dict, pd.DataFrame]:
    load_before = os.getloadavg()[0]
    profiler = cProfile.Profile() if profile else None
    anew, logger = _Anew(), logging.getLogger("forecast.fit")
    logger.addHandler(anew)
    logger.setLevel(logging.INFO)
    cpu0, t0 = _cpu_seconds(), time.perf_counter()
    if profiler:
        profiler.enable()
    fits = fit_all(figures, plans, n_jobs=n_jobs, cache=cache)
    if profiler:
        profiler.disable()
        profiler.dump_stats(profile)
    wall, cpu = time.perf_counter() - t0, _cpu_seconds() - cpu0
    logger.removeHandler(anew)
    keys = fits.drop_duplicates(["record", "indicator_code", "admin_unit_code", "frequency"])
    counts = keys[keys["record"].isin(["forecast", "skipped"])]
    by_freq = counts.groupby(["record", "frequency"]).size()
    figure = {
        "n_jobs": n_jobs,
        "run": "full" if cache is None else "through the store",
        "series": len(counts),
        "forecast": {f: int(n) for (r, f), n in by_freq.items() if r == "forecast"},
        "skipped": {f: int(n) for (r, f), n in by_freq.items() if r == "skipped"},
        "fitted_anew": [line.removeprefix("forecast ") for line in anew.lines],
        "fit_wall_s": round(wall, 2),
        "cpu_s": round(cpu, 2),
        "load_avg_1m_before": round(load_before, 2),
        "load_avg_1m_after": round(os.getloadavg()[0], 2),
        "cpus": os.cpu_count(),
    }
    return figure, fits


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--scale", type=float, default=1.0)
    p.add_argument("--db", type=Path, help="a built ioc.duckdb (default: the SF benchmark's)")
    p.add_argument("--n-jobs", type=int, nargs="+", default=[1, 2])
    p.add_argument("--month", action="store_true", help="also a month through the store")
    p.add_argument("--profile", type=Path, help="cProfile statistics of the full fit")
    p.add_argument("--save", type=Path, help="the full fit's rows (Parquet)")
    args = p.parse_args(argv)
    db = args.db or Path(f"/work/bench/sf{args.scale:g}/run/serving/ioc.duckdb")
    t0 = time.perf_counter()
    figures, plans, indicators = read_inputs(db)
    print(json.dumps({"db": str(db), "read_s": round(time.perf_counter() - t0, 2)}))
    fits = None
    for n_jobs in args.n_jobs:
        figure, fits = run(figures, plans, n_jobs, profile=args.profile)
        print(json.dumps(figure, ensure_ascii=False), flush=True)
        if args.month:
            with tempfile.TemporaryDirectory(prefix="ioc-bench-fits-") as store:
                fit_all(previous_month(figures), plans, n_jobs=n_jobs, cache=Path(store))
                figure, month = run(figures, plans, n_jobs, cache=Path(store))
            figure["mape_chosen_q10_25_50_75_90"] = mape_quantiles(month)
            figure["versus_full"] = versus(month, fits)
            print(json.dumps(figure, ensure_ascii=False), flush=True)
            if args.save:
                month.to_parquet(args.save.with_suffix(".month.parquet"), index=False)
    if fits is not None:
        print(json.dumps({"mape_chosen_q10_25_50_75_90": mape_quantiles(fits)}))
        print(quality(fits, indicators).to_string(index=False))
        if args.save:
            fits.to_parquet(args.save, index=False)


if __name__ == "__main__":
    main()
