-- Provinces ranked against each other: every indicator figure of a province (today's
-- provinces, their history read through the 2025 crosswalk: fct_indicator_value_current_unit)
-- with its rank among the provinces that have the figure for the same period, 1 = best by the
-- indicator's direction (dim_indicator.higher_is_better; no direction ranks the largest
-- first); a period is its type, start and end (a year to date ends with each month). A
-- figure of a province whose old territory was split (is_partial_split) is not ranked: it
-- is not the province's whole.
with province_values as (
    select
        v.indicator_code,
        v.period_type,
        v.period_label,
        v.period_start,
        v.period_end,
        v.admin_unit_code as province_code,
        u.name_vi as province_name,
        v.actual_value::double as actual_value,
        v.is_estimate
    from {{ ref('fct_indicator_value_current_unit') }} as v
    inner join {{ ref('dim_admin_unit') }} as u
        on u.admin_unit_key = v.admin_unit_key and u.level = 'province'
    where v.actual_value is not null and not coalesce(v.is_partial_split, false)
),

ranked as (
    select
        p.*,
        i.name_vi as indicator_name,
        i.unit,
        i.higher_is_better,
        rank() over (
            partition by p.indicator_code, p.period_type, p.period_start, p.period_end
            order by case when coalesce(i.higher_is_better, true) then -p.actual_value
                else p.actual_value end
        ) as rank_among_provinces,
        count(*) over (
            partition by p.indicator_code, p.period_type, p.period_start, p.period_end
        ) as provinces_ranked,
        max(p.period_end) over (partition by p.indicator_code, p.period_type)
            as latest_period_end
    from province_values as p
    inner join {{ ref('dim_indicator') }} as i on i.indicator_code = p.indicator_code
)

select
    indicator_code::{{ dbt.type_string() }} as indicator_code,
    indicator_name::{{ dbt.type_string() }} as indicator_name,
    unit::{{ dbt.type_string() }} as unit,
    higher_is_better::boolean as higher_is_better,
    period_type::{{ dbt.type_string() }} as period_type,
    period_label::{{ dbt.type_string() }} as period_label,
    {{ period_label_vi('period_type', 'period_start', 'period_end') }} as period_name,
    period_start::date as period_start,
    period_end::date as period_end,
    province_code::{{ dbt.type_string() }} as province_code,
    province_name::{{ dbt.type_string() }} as province_name,
    actual_value,
    is_estimate::boolean as is_estimate,
    rank_among_provinces::integer as rank_among_provinces,
    provinces_ranked::integer as provinces_ranked,
    (period_end = latest_period_end)::boolean as is_latest_period
from ranked
