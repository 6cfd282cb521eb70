-- The figures that sources report per period rather than per month (school years and exam
-- years of education, yearly and school-year reports), against the unit that reported them
-- (admin_unit_key). They join the rolled monthly figures as they are.
{%- set period_models = [
    'int_education_indicators_by_unit_period',
    'int_reporting_indicators_by_unit_period',
] %}

with periods as (
    {%- for model in period_models %}
    select
        indicator_code, admin_unit_code, admin_unit_key, period_type, period_label,
        period_start, period_end, period_label_last_year, actual_value, numerator,
        denominator, plan_value, last_data_month, is_partial_period, is_estimate, source,
        source_load_id
    from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select
    periods.*,
    indicators.aggregation,
    indicators.unit_aggregation,
    false as is_partial_split,
    1 as units_combined
from periods
inner join {{ ref('indicators') }} as indicators using (indicator_code)
