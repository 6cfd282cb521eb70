-- One row per indicator × admin unit × period: the table every leadership chart reads.
-- plan_value comes from the source where it has one (budget revenue: the annual estimate in
-- force, so pct_of_plan is the share of the year's estimate collected); null elsewhere.
with rolled as (
    select * from {{ ref('int_indicator_values_rolled_to_periods') }}
)

select
    rolled.indicator_code,
    rolled.admin_unit_code,
    rolled.period_type,
    rolled.period_label,
    rolled.period_start,
    rolled.period_end,
    rolled.actual_value,
    rolled.plan_value,
    100.0 * rolled.actual_value / nullif(rolled.plan_value, 0) as pct_of_plan,
    last_year.actual_value as same_period_last_year,
    100.0 * (rolled.actual_value - last_year.actual_value)
        / nullif(abs(last_year.actual_value), 0) as yoy_change_pct,
    rolled.is_estimate,
    rolled.source,
    rolled.source_load_id,
    {{ run_started_at_local() }} as refreshed_at,
    rolled.numerator,
    rolled.denominator,
    rolled.is_partial_period,
    rolled.last_data_month
from rolled
left join rolled as last_year
    on last_year.indicator_code = rolled.indicator_code
    and last_year.admin_unit_code = rolled.admin_unit_code
    and last_year.period_type = rolled.period_type
    and last_year.period_label = rolled.period_label_last_year
