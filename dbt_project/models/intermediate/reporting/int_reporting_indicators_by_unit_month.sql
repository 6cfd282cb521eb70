-- The monthly reporting indicators per area and month, in the long shape every source feeds
-- to fct_indicator_value (int_indicator_values_rolled_to_periods rolls them up by their
-- aggregation). A report gives the month's own value (thuc_hien), ratio indicators their
-- numerator and denominator, flow indicators the annual plan (ke_hoach) as plan_value.
-- Reported figures are final once approved: is_estimate is false.
select
    indicator_code,
    admin_unit_code,
    period_start as month_start,
    actual_value as value,
    numerator,
    denominator,
    null::double as cumulative_value,
    plan_value,
    false as is_estimate,
    'reporting' as source,
    source_load_id,
    source_updated_at
from {{ ref('int_reporting_figures_counted') }}
where period_type = 'month'
