"""Forecasts of the indicator series with prediction intervals, their rolling-origin
backtests against the seasonal-naive baseline, and the chance the annual plan is met.

Pure functions over pandas frames: the dbt Python model
``int_indicator_forecast_fits`` calls :func:`forecast.fit.fit_all` once per refresh.
"""
