-- The monthly figures of every source in one long shape, each against the unit that reported
-- it: admin_unit_key = '<code>@<generation>' of the month (before / from the 2025-07-01
-- reform), so old province 56 and today's 56 never meet. Quarterly reporting figures come
-- anchored at their quarter's last month (figure_period_type = quarter).
{%- set reform = "date '" ~ var('admin_reform_date') ~ "'" %}
{%- set monthly_models = [
    'int_dossier_indicators_by_province_month',
    'int_budget_revenue_indicators_by_unit_month',
    'int_tourism_indicators_by_unit_month',
    'int_reporting_indicators_by_unit_month',
] %}

with monthly as (
    {%- for model in monthly_models %}
    select
        indicator_code, admin_unit_code, month_start,
        {{ "figure_period_type" if model == 'int_reporting_indicators_by_unit_month'
            else "'month'" }} as figure_period_type,
        value, numerator, denominator, cumulative_value, plan_value, is_estimate, source,
        source_load_id, source_updated_at
    from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select
    monthly.indicator_code,
    monthly.admin_unit_code,
    monthly.admin_unit_code || case when monthly.month_start < {{ reform }}
        then '@before_2025_07' else '@from_2025_07' end as admin_unit_key,
    monthly.month_start,
    monthly.figure_period_type,
    indicators.aggregation,
    indicators.unit_aggregation,
    monthly.value,
    monthly.numerator,
    monthly.denominator,
    monthly.cumulative_value,
    monthly.plan_value,
    monthly.is_estimate,
    false as is_partial_split,
    1 as units_combined,
    monthly.source,
    monthly.source_load_id,
    monthly.source_updated_at
from monthly
inner join {{ ref('indicators') }} as indicators using (indicator_code)
