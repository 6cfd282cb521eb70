-- Series not forecast, with the reason in Vietnamese: no figure, too short (under two years;
-- five for yearly and school-year series), too sparse, or stale.
select
    fits.indicator_code,
    fits.admin_unit_code,
    indicators.indicator_group,
    fits.frequency as period_type,
    fits.history::integer as history_periods,
    fits.reason,
    {{ run_started_at_local() }} as fitted_at
from {{ ref('int_indicator_forecast_fits') }} as fits
inner join {{ ref('dim_indicator') }} as indicators using (indicator_code)
where fits.record = 'skipped'
