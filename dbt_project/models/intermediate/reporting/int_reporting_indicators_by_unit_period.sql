-- The quarterly, yearly and school-year reporting indicators per area and period, in the shape
-- of int_indicator_values_rolled_to_periods (which appends them as they are). They are never
-- rolled up from months they do not have: a quarterly figure stands for its quarter and rolls
-- up to the half year, nine months and year holding it (by the indicator's aggregation, as the
-- monthly roll-up: sum, value of the last quarter with data, mean, Σ numerators ÷ Σ
-- denominators × 100); a yearly or school-year figure stands for its year as it is. Each
-- figure is anchored at its period's last month, so the month → period bridge gives exactly
-- the longer periods that contain it (quarterly figures have no ytd rows).
-- is_partial_period: the longer period's last quarter has no figure yet.
with figures as (
    select * from {{ ref('int_reporting_figures_counted') }}
    where period_type in ('quarter', 'year', 'school_year')
),

periods as (
    select * from {{ ref('int_months_mapped_to_periods') }}
    where period_type in ('quarter', 'half_year', 'nine_months', 'year')
),

quarters as (
    select
        figures.indicator_code,
        figures.admin_unit_code,
        periods.period_type,
        periods.period_label,
        periods.period_start,
        periods.period_end,
        periods.period_label_last_year,
        any_value(figures.aggregation) as aggregation,
        case any_value(figures.aggregation)
            when 'sum' then sum(figures.actual_value::decimal(38, 6))::double
            when 'end_of_period' then arg_max(figures.actual_value, figures.period_end)
            when 'average' then avg(figures.actual_value::decimal(38, 6))::double
            when 'ratio' then 100.0 * sum(figures.numerator::decimal(38, 6))::double
                / nullif(sum(figures.denominator::decimal(38, 6))::double, 0)
        end as actual_value,
        sum(figures.numerator::decimal(38, 6))::double as numerator,
        sum(figures.denominator::decimal(38, 6))::double as denominator,
        arg_max(figures.plan_value, figures.period_end) as plan_value,
        date_trunc('month', max(figures.period_end))::date as last_data_month,
        max(figures.period_end) < periods.period_end as is_partial_period,
        arg_max(figures.source_load_id, figures.source_updated_at) as source_load_id
    from figures
    inner join periods
        on periods.month_start = date_trunc('month', figures.period_end)
    where figures.period_type = 'quarter'
    group by figures.indicator_code, figures.admin_unit_code, periods.period_type,
        periods.period_label, periods.period_start, periods.period_end,
        periods.period_label_last_year
),

years as (
    select
        indicator_code,
        admin_unit_code,
        period_type,
        period_label,
        period_start,
        period_end,
        case when period_type = 'school_year'
            then (year(period_end) - 2) || '-' || (year(period_end) - 1)
            else (year(period_end) - 1)::varchar end as period_label_last_year,
        aggregation,
        case when aggregation = 'ratio' and denominator is not null
            then 100.0 * numerator / nullif(denominator, 0)
            else actual_value end as actual_value,
        numerator,
        denominator,
        plan_value,
        date_trunc('month', period_end)::date as last_data_month,
        false as is_partial_period,
        source_load_id
    from figures
    where period_type in ('year', 'school_year')
)

select *, false as is_estimate, 'reporting' as source from quarters
union all by name
select *, false as is_estimate, 'reporting' as source from years
