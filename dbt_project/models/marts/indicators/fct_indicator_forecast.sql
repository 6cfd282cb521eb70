-- Forecasts per indicator × today's unit × future period (forecast/fit.py through
-- int_indicator_forecast_fits): the model its backtest chose, the 80 % and 95 % prediction
-- intervals, the chance the current year's plan is met, and the backtest behind the choice.
with fits as (
    select * replace (period_start::date as period_start)
    from {{ ref('int_indicator_forecast_fits') }}
),

scores as (
    select
        indicator_code,
        admin_unit_code,
        max(case when is_chosen then mape end) as backtest_mape,
        max(case when is_chosen then coverage_95 end) as backtest_coverage_95,
        max(case when model = 'SeasonalNaive' then mape end) as baseline_mape
    from fits
    where record = 'score'
    group by all
),

unit_keys as (
    select distinct admin_unit_code, admin_unit_key
    from {{ ref('fct_indicator_value_current_unit') }}
)

select
    fits.indicator_code,
    fits.admin_unit_code,
    unit_keys.admin_unit_key,
    indicators.indicator_group,
    indicators.owner_agency,
    fits.frequency as period_type,
    case fits.frequency
        when 'quarter' then {{ format_date("fits.period_start", "%Y") }} || '-Q' || quarter(fits.period_start)
        when 'year' then {{ format_date("fits.period_start", "%Y") }}
        when 'school_year' then year(fits.period_start) || '-' || (year(fits.period_start) + 1)
        else {{ format_date("fits.period_start", "%Y-%m") }}
    end as period_label,
    fits.period_start,
    (fits.period_start + case fits.frequency when 'quarter' then interval 3 month
        when 'year' then interval 12 month when 'school_year' then interval 12 month
        else interval 1 month end - interval 1 day)::date as period_end,
    fits.model,
    {{ run_started_at_local() }} as fitted_at,
    fits.horizon::integer as horizon,
    fits.history::integer as history_periods,
    fits.forecast,
    fits.lo_80,
    fits.hi_80,
    fits.lo_95,
    fits.hi_95,
    fits.plan_year::integer as plan_year,
    fits.plan_value,
    fits.plan_expected_value,
    fits.plan_met_probability,
    scores.backtest_mape,
    scores.backtest_coverage_95,
    scores.baseline_mape
from fits
inner join {{ ref('dim_indicator') }} as indicators using (indicator_code)
left join scores using (indicator_code, admin_unit_code)
left join unit_keys using (admin_unit_code)
where fits.record = 'forecast'
