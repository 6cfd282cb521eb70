"""The chance that the current year's plan is met, from the year's figures so far and the
forecast of the months (quarters) left, the forecast error taken as normal.

The year's outcome is rolled up as the indicator rolls up (sum of flows, the last period of
a stock, the mean of levels); ratios are left out (their roll-up needs numerators and
denominators the forecast does not have). Errors of successive horizons move together, so
the standard deviations are added (a cautious bound, wider than independent errors).
Where lower is better the plan is a ceiling: the chance is that of staying at or under it.
"""

from __future__ import annotations

import math

import pandas as pd

Z95 = 1.959963984540054


def _normal_cdf(x: float) -> float:
    return 0.5 * (1 + math.erf(x / math.sqrt(2)))


def chance(expected: float, sd: float, plan: float, lower_is_better: bool) -> float:
    """P(outcome ≥ plan), or P(outcome ≤ plan) where lower is better."""
    if sd <= 0 or math.isnan(sd):
        met = expected <= plan if lower_is_better else expected >= plan
        return 1.0 if met else 0.0
    z = (plan - expected) / sd
    return _normal_cdf(z) if lower_is_better else 1 - _normal_cdf(z)


def outcome(aggregation: str, actual: list[float], expected: list[float], sds: list[float]):
    """The year's expected outcome and its standard deviation, or None."""
    if aggregation == "sum":
        return sum(actual) + sum(expected), sum(sds)
    if aggregation == "end_of_period":
        return (expected[-1], sds[-1]) if expected else (actual[-1], 0.0)
    if aggregation == "average":
        n = len(actual) + len(expected)
        return (sum(actual) + sum(expected)) / n, sum(sds) / n
    return None


def plan_chances(
    values: pd.DataFrame, history: pd.DataFrame, forecasts: pd.DataFrame, plans: pd.DataFrame
):
    """Per series (``unique_id``): plan_year, plan_value, plan_expected_value (the year's
    expected outcome), plan_met_probability.

    The plan is that of the year of the series' first forecast period: the current year of
    a month or quarter series, the next year of a yearly one (a year already known has no
    chance to forecast). The year's periods so far are read from ``history``, the training
    series, whose gaps inside are filled: a period whose report is missing is counted at its
    interpolated value, not as nothing."""
    plans = plans.dropna(subset=["plan_value"]).assign(
        unique_id=lambda p: p["indicator_code"] + "|" + p["admin_unit_code"]
    )
    plan_of = plans.set_index(["unique_id", "plan_year"])["plan_value"]
    meta = values.drop_duplicates("unique_id").set_index("unique_id")
    # only the series with a plan for the year of their first forecast period (a pandas
    # pass per forecast series, most of them without a plan, cost ~0.3 s a refresh)
    keys = set(plan_of.index)
    years = forecasts.groupby("unique_id")["ds"].min().dt.year
    planned = years.index[[(uid, int(year)) in keys for uid, year in years.items()]]
    forecasts = forecasts[forecasts["unique_id"].isin(planned)]
    # each series' rows once (a comparison over the whole history per series cost seconds)
    history = history[history["unique_id"].isin(planned)]
    history_of = dict(tuple(history.groupby("unique_id", sort=False)))
    rows = []
    for uid, fc in forecasts.groupby("unique_id"):
        year = int(fc["ds"].min().year)
        this_year = fc[fc["ds"].dt.year == year].sort_values("ds")
        seen = history_of.get(uid, history.iloc[:0])
        seen = seen[seen["ds"].dt.year == year]
        seen = seen.dropna(subset=["y"]).sort_values("ds")
        sds = ((this_year["hi_95"] - this_year["lo_95"]) / (2 * Z95)).tolist()
        rolled = outcome(
            meta.at[uid, "aggregation"], seen["y"].tolist(), this_year["forecast"].tolist(), sds
        )
        if rolled is None:
            continue
        direction = meta.at[uid, "higher_is_better"]
        lower = not pd.isna(direction) and not bool(direction)
        plan = float(plan_of[(uid, year)])
        p = chance(rolled[0], rolled[1], plan, lower)
        rows.append(
            {"unique_id": uid, "plan_year": year, "plan_value": plan,
             "plan_expected_value": rolled[0], "plan_met_probability": round(p, 4)}
        )  # fmt: skip
    columns = ["unique_id", "plan_year", "plan_value", "plan_expected_value"]
    return pd.DataFrame(rows, columns=[*columns, "plan_met_probability"])
