"""Forecasts of the indicator series with prediction intervals, their rolling-origin
backtests against the seasonal-naive baseline, and the chance the annual plan is met.

Functions over pandas frames: the dbt Python model ``int_indicator_forecast_fits`` calls
:func:`forecast.fit.fit_all` once per refresh, in a process of its own
(forecast/apart.py), which refits only the series whose figures
changed since the fits stored beside the build database (forecast/cache.py), a monthly or
quarterly series' AutoETS in the forms it chose at its last search (once a year,
forecast/ets.py); a monthly series' Tết ARIMA at the minimum of its sum of squares computed
directly, not by the library's numerical search (forecast/arima.py).
"""
