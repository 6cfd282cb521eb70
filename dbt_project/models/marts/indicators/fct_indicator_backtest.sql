-- Rolling-origin backtests of every forecast series: per model (the candidates and the
-- seasonal-naive baseline) its MAPE, MAE and the share of actuals inside the 80 % and 95 %
-- intervals; is_chosen marks the model fct_indicator_forecast uses.
select
    fits.indicator_code,
    fits.admin_unit_code,
    indicators.indicator_group,
    indicators.owner_agency,
    fits.frequency as period_type,
    fits.model,
    fits.model = 'SeasonalNaive' as is_baseline,
    fits.is_chosen::boolean as is_chosen,
    fits.mape,
    fits.mae,
    fits.coverage_80,
    fits.coverage_95,
    fits.backtest_points::integer as backtest_points,
    {{ run_started_at_local() }} as fitted_at
from {{ ref('int_indicator_forecast_fits') }} as fits
inner join {{ ref('dim_indicator') }} as indicators using (indicator_code)
where fits.record = 'score'
