-- The yearly and school-year reporting indicators per area, in the shape of
-- int_indicator_values_by_unit_period: a yearly or school-year figure stands for its year as
-- it is (quarterly figures roll up with the monthly ones, see
-- int_reporting_indicators_by_unit_month). The area is a unit of the generation in force at
-- the period's end, as int_reporting_figures_counted matched it.
{%- set reform = "date '" ~ var('admin_reform_date') ~ "'" %}

select
    indicator_code,
    admin_unit_code,
    admin_unit_code || case when period_end < {{ reform }}
        then '@before_2025_07' else '@from_2025_07' end as admin_unit_key,
    period_type,
    period_label,
    period_start,
    period_end,
    case when period_type = 'school_year'
        then (year(period_end) - 2) || '-' || (year(period_end) - 1)
        else (year(period_end) - 1)::{{ dbt.type_string() }} end as period_label_last_year,
    aggregation,
    case when aggregation = 'ratio' and denominator is not null
        then 100.0 * numerator / nullif(denominator, 0)
        else actual_value end as actual_value,
    numerator,
    denominator,
    plan_value,
    date_trunc('month', period_end)::date as last_data_month,
    false as is_partial_period,
    false as is_estimate,
    'reporting' as source,
    source_load_id
from {{ ref('int_reporting_figures_counted') }}
where period_type in ('year', 'school_year')
