-- Nothing vanishes in a join: every standing budget revenue row is either its group's
-- indicator (TNS_<group>) of its unit and month or an unplaced record. One row per row lost.
{{ config(meta={'dimension': 'du'}) }}
select rows.month_start, rows.admin_unit_code, rows.budget_level, rows.revenue_group_code
from {{ ref('int_budget_revenue_restated') }} as rows
where not exists (
    select 1 from {{ ref('int_budget_revenue_indicators_by_unit_month') }} as placed
    where placed.month_start = rows.month_start
        and placed.admin_unit_code = rows.admin_unit_code
        and placed.indicator_code = 'TNS_' || rows.revenue_group_code
)
and not exists (
    select 1 from {{ ref('int_budget_revenue_unplaced') }} as unplaced
    where unplaced.period_label = rows.month_label
        and unplaced.record_key
            = concat_ws(' | ', rows.admin_unit_code, rows.budget_level, rows.revenue_group_code)
)
