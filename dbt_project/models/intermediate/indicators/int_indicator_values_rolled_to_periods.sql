-- Monthly indicator values of every source rolled up to every period containing them, by the
-- indicator's aggregation (marts.md): sum of flows; end_of_period = value of the last month
-- with data; average of monthly values; ratio = sum of numerators / sum of denominators × 100
-- (never the mean of monthly ratios). is_partial_period: the period's last month has no data
-- yet (for end_of_period the value is then that of an earlier month).
-- Sources that report cumulative figures (lũy kế từ đầu năm) also give cumulative_value: a sum
-- over a period starting on 1 January (ytd, Q1, H1, 9M, year) then reads the cumulative of its
-- last month, exactly as the source reports it even when an earlier month is missing. A sum
-- with a month whose value is unknown (null) is unknown. plan_value: the plan in force at the
-- period's last month that has one (for budget revenue the annual estimate). Sums and means
-- run on decimals: a float sum depends on the order DuckDB's threads add in, and a refresh
-- re-run must give the same figures to the last bit.
{%- set monthly_models = [
    'int_dossier_indicators_by_province_month',
    'int_budget_revenue_indicators_by_unit_month',
    'int_tourism_indicators_by_unit_month',
    'int_reporting_indicators_by_unit_month',
] %}

with monthly as (
    {%- for model in monthly_models %}
    select
        indicator_code, admin_unit_code, month_start, value, numerator, denominator,
        cumulative_value, plan_value, is_estimate, source, source_load_id, source_updated_at
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
),

rolled as (
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
            when 'sum' then case
                when month(period_start) = 1 and arg_max_null(cumulative_value, month_start) is not null
                    then arg_max_null(cumulative_value, month_start)
                when count(value) = count(*) then sum(value::decimal(38, 6))::double
            end
            when 'end_of_period' then arg_max(value, month_start)
            when 'average' then avg(value::decimal(38, 6))
            when 'ratio' then 100.0 * sum(numerator::decimal(38, 6))::double
                / nullif(sum(denominator::decimal(38, 6))::double, 0)
        end as actual_value,
        sum(numerator::decimal(38, 6))::double as numerator,
        sum(denominator::decimal(38, 6))::double as denominator,
        arg_max(plan_value, month_start) as plan_value,
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
)

select * from rolled
union all by name
-- sources reporting per period, not per month (school years, exam years; quarterly and yearly
-- reports, already rolled from quarters to longer periods), as they are
select * from {{ ref('int_education_indicators_by_province_period') }}
union all by name
select * from {{ ref('int_reporting_indicators_by_unit_period') }}
