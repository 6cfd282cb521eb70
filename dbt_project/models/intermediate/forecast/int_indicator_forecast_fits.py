"""Every indicator series fitted once per refresh (forecast/fit.py): forecasts of the chosen
model, backtest scores of every model, and the series that cannot be forecast with why.

Inputs are the figures against today's units at the indicator's own frequency (month,
quarter, year, school year; forecast/inputs.py) and the annual plans; the output is
deterministic for the same inputs.
"""


def model(dbt, session):
    dbt.config(materialized="table")
    from forecast.fit import fit_all  # the statsforecast start-up: once, in this node
    from forecast.inputs import figures_and_plans

    indicators = dbt.ref("dim_indicator").df()
    values = dbt.ref("fct_indicator_value_current_unit").df()
    return fit_all(*figures_and_plans(indicators, values))
