-- The monthly and quarterly reporting indicators per area, in the long shape every source feeds
-- to fct_indicator_value (int_indicator_values_rolled_to_periods rolls them up by their
-- aggregation). A report gives the period's own value (thuc_hien), ratio indicators their
-- numerator and denominator, flow indicators the annual plan (ke_hoach) as plan_value.
-- A quarterly figure is anchored at its quarter's last month (figure_period_type = quarter):
-- it stands for its quarter and rolls up to the half year, nine months, year and the ytd
-- ending on that month, never to a month of its own. Reported figures are final once
-- approved: is_estimate is false.
select
    indicator_code,
    admin_unit_code,
    date_trunc('month', period_end)::date as month_start,
    period_type as figure_period_type,
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
where period_type in ('month', 'quarter')
