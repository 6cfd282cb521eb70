-- Province-level figures (the units whose level is 'province': 56, and 58 before 2025-07-01)
-- with the indicator's name and unit, and flags that let a chart sum monthly rows into year
-- to date, the same months last year and the plan in force, comparable across the merger.
-- Formerly the SQL of a Superset virtual dataset; here it is built, documented and tested.
with province_values as (
    select v.*
    from {{ ref('fct_indicator_value') }} as v
    where v.admin_unit_code in (
        select admin_unit_code from {{ ref('dim_admin_unit') }} where level = 'province'
    )
),

latest_month as (
    select indicator_code, max(period_start) as latest_month_start
    from province_values
    where period_type = 'month'
    group by indicator_code
),

latest_month_status as (
    select v.indicator_code, bool_or(v.is_estimate) as latest_month_is_estimate
    from province_values as v
    inner join latest_month as m
        on m.indicator_code = v.indicator_code and m.latest_month_start = v.period_start
    where v.period_type = 'month'
    group by v.indicator_code
)

select
    v.indicator_code,
    i.name_vi as indicator_name,
    i.indicator_group,
    i.unit,
    i.aggregation,
    v.source,
    v.admin_unit_code,
    v.admin_unit_key,
    v.period_type,
    v.period_label,
    {{ period_label_vi('v.period_type', 'v.period_start', 'v.period_end') }} as period_name,
    v.period_start,
    v.period_end,
    v.actual_value,
    v.plan_value,
    v.numerator,
    v.denominator,
    v.is_estimate,
    v.is_partial_period,
    v.refreshed_at,
    {{ format_date("m.latest_month_start", "%m/%Y") }} as latest_month_label,
    case when s.latest_month_is_estimate then 'Ước tính' else 'Chính thức' end
        as latest_month_status,
    {{ format_date("v.period_start", "%m") }} as month_of_year,
    cast(year(v.period_start) as {{ dbt.type_string() }}) as calendar_year,
    year(m.latest_month_start) - year(v.period_start) as years_before_latest,
    coalesce(v.period_type = 'month' and v.period_start = m.latest_month_start, false)
        as is_latest_month,
    coalesce(
        v.period_type = 'month'
        and year(v.period_start) = year(m.latest_month_start)
        and v.period_start <= m.latest_month_start, false
    ) as is_year_to_date,
    coalesce(
        v.period_type = 'month'
        and year(v.period_start) = year(m.latest_month_start) - 1
        and month(v.period_start) <= month(m.latest_month_start), false
    ) as is_year_to_date_last_year
from province_values as v
inner join {{ ref('dim_indicator') }} as i on i.indicator_code = v.indicator_code
left join latest_month as m on m.indicator_code = v.indicator_code
left join latest_month_status as s on s.indicator_code = v.indicator_code
