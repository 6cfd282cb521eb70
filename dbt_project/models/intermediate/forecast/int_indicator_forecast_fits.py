"""Every indicator series fitted once per refresh (forecast/fit.py): forecasts of the chosen
model, backtest scores of every model, and the series that cannot be forecast with why.

Inputs are the figures against today's units at the indicator's own frequency (month,
quarter, year, school year; forecast/inputs.py) and the annual plans; the output is
deterministic for the same inputs. The library's fits are kept beside the build database
(``<build>/forecast_fits/``, forecast/cache.py): a monthly build refits only the series whose
figures changed, with the result of a full refit except that a monthly or quarterly series'
AutoETS is fitted again in the forms it chose at its last search (searched once a year). A
build whose figures and plans are those of the last one gets the last result back
(forecast/result.py). The fits run in a Python process of their own (forecast/apart.py):
in dbt's they share the interpreter's lock with the thread building the other nodes.
"""

from pathlib import Path


def _cache(session) -> Path | None:
    """``forecast_fits/`` beside the DuckDB file being built (None in memory)."""
    row = session.execute(
        "select path from duckdb_databases() where database_name = current_database()"
    ).fetchone()
    return Path(row[0]).parent / "forecast_fits" if row and row[0] else None


def model(dbt, session):
    dbt.config(materialized="table")
    from forecast.inputs import figures_and_plans
    from forecast.result import fits  # statsforecast is imported when a series is fitted

    indicators = dbt.ref("dim_indicator").df()
    values = dbt.ref("fct_indicator_value_current_unit").df()
    return fits(*figures_and_plans(indicators, values), cache=_cache(session))
