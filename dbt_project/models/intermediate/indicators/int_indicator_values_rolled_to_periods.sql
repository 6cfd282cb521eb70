-- Monthly indicator values of every source rolled up to every period containing them, by the
-- indicator's aggregation (marts.md): sum of flows; end_of_period = value of the last month
-- with data; average of monthly values; ratio = sum of numerators / sum of denominators × 100
-- (never the mean of monthly ratios). is_partial_period: the period's last month has no data
-- yet (for end_of_period the value is then that of an earlier month).
{%- set monthly_models = ['int_dossier_indicators_by_province_month'] %}

with monthly as (
    {%- for model in monthly_models %}
    select
        indicator_code, admin_unit_code, month_start, value, numerator, denominator,
        is_estimate, source, source_load_id, source_updated_at
    from {{ ref(model) }}
    {% if not loop.last %}union all{% endif %}
    {%- endfor %}
),

indicators as (
    select indicator_code, aggregation from {{ ref('indicators') }}
),

periods as (
    select * from {{ ref('int_months_mapped_to_periods') }}
),

joined as (
    select monthly.*, indicators.aggregation, periods.* exclude (month_start)
    from monthly
    inner join indicators using (indicator_code)
    inner join periods using (month_start)
)

select
    indicator_code,
    admin_unit_code,
    period_type,
    period_label,
    period_start,
    period_end,
    period_label_last_year,
    any_value(aggregation) as aggregation,
    case any_value(aggregation)
        when 'sum' then sum(value)
        when 'end_of_period' then arg_max(value, month_start)
        when 'average' then avg(value)
        when 'ratio' then 100.0 * sum(numerator) / nullif(sum(denominator), 0)
    end as actual_value,
    sum(numerator) as numerator,
    sum(denominator) as denominator,
    max(month_start) as last_data_month,
    max(month_start) < date_trunc('month', period_end) as is_partial_period,
    bool_or(is_estimate) as is_estimate,
    any_value(source) as source,
    arg_max(source_load_id, source_updated_at) as source_load_id
from joined
group by indicator_code, admin_unit_code, period_type, period_label, period_start, period_end,
    period_label_last_year
-- a ytd period exists once its own month has data (2025-12-YTD is not shown in July)
having period_type <> 'ytd' or max(month_start) = date_trunc('month', period_end)
