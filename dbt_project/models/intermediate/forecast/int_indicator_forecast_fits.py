"""Every indicator series fitted once per refresh (forecast/fit.py): forecasts of the chosen
model, backtest scores of every model, and the series that cannot be forecast with why.

Inputs are the figures against today's units at the indicator's own frequency (month,
quarter) and the annual plans; the output is deterministic for the same inputs.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from forecast.fit import fit_all  # the statsforecast start-up: once, in this node

    columns = ["indicator_code", "frequency", "aggregation", "higher_is_better"]
    indicators = dbt.ref("dim_indicator").df()[columns]
    values = dbt.ref("fct_indicator_value_current_unit").df()
    plans = values[(values["period_type"] == "year") & values["plan_value"].notna()]
    plans = plans.assign(plan_year=plans["period_start"].map(lambda d: d.year))
    figures = values.merge(indicators, on="indicator_code")
    figures = figures[figures["period_type"] == figures["frequency"]]
    return fit_all(
        figures[[*columns, "admin_unit_code", "period_start", "actual_value"]],
        plans[["indicator_code", "admin_unit_code", "plan_year", "plan_value"]],
    )
