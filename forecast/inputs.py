"""The fit's inputs from the marts' frames: each indicator's figures against today's units at
its own frequency (complete periods only) and the annual plans. Shared by the dbt Python
model ``int_indicator_forecast_fits`` and the benchmark (``python -m benchmarks.forecast``)."""

from __future__ import annotations

import pandas as pd

INDICATOR_COLUMNS = [
    "indicator_code", "frequency", "aggregation", "higher_is_better", "indicator_group"
]  # fmt: skip


def figures_and_plans(
    indicators: pd.DataFrame, values: pd.DataFrame
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``indicators``: dim_indicator; ``values``: fct_indicator_value_current_unit.

    A period still in progress (``is_partial_period``, e.g. the school year just begun) is
    left out: its figure is not comparable with the complete ones."""
    plans = values[(values["period_type"] == "year") & values["plan_value"].notna()]
    plans = plans.assign(plan_year=plans["period_start"].map(lambda d: d.year))
    figures = values.merge(indicators[INDICATOR_COLUMNS], on="indicator_code")
    partial = figures["is_partial_period"].fillna(False).astype(bool)
    figures = figures[(figures["period_type"] == figures["frequency"]) & ~partial]
    return (
        figures[[*INDICATOR_COLUMNS, "admin_unit_code", "period_start", "actual_value"]],
        plans[["indicator_code", "admin_unit_code", "plan_year", "plan_value"]],
    )
