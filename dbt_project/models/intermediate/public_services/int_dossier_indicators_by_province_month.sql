-- The 8 dossier indicators per province and month, in the long shape every source feeds
-- to fct_indicator_value: value (sum / end_of_period / average) or numerator + denominator
-- (ratio). A figure goes to the province its unit belonged to in that month (old 56 or 58
-- before the reform, new 56 from it). Months are dense from the first to the last month
-- of data for every province that existed then, so "no dossier" reads 0, not missing.
{%- set reform = "date '" ~ var('admin_reform_date') ~ "'" %}
{%- set indicators = {
    'DVC_HS_TIEP_NHAN': ('received', none),
    'DVC_HS_GIAI_QUYET': ('resolved', none),
    'DVC_TY_LE_DUNG_HAN': ('resolved_on_time', 'resolved'),
    'DVC_TY_LE_TRUC_TUYEN': ('received_online', 'received'),
    'DVC_TY_LE_TT_TRUC_TUYEN': ('paid_online', 'received_with_fee'),
    'DVC_TY_LE_SO_HOA': ('received_digitised', 'received'),
    'DVC_TY_LE_HAI_LONG': ('rated_satisfied', 'rated'),
    'DVC_HS_QUA_HAN': ('overdue_open', none),
} %}

with counts as (
    select * from {{ ref('int_dossiers_counted_by_month') }}
),

units as (
    select * from {{ ref('int_admin_units_mapped_to_province') }}
),

by_province as (
    select
        counts.month_start,
        case when counts.month_start < {{ reform }} then units.province_code_before_reform
            else units.province_code_after_reform end as admin_unit_code,
        {%- for column in ['received', 'received_online', 'received_digitised',
            'received_with_fee', 'paid_online', 'resolved', 'resolved_on_time', 'rated',
            'rated_satisfied', 'overdue_open'] %}
        sum(counts.{{ column }}) as {{ column }},
        {%- endfor %}
        {{ arg_max("counts.newest_load_id", "counts.newest_updated_at") }} as source_load_id,
        max(counts.newest_updated_at) as source_updated_at
    from counts
    inner join units on units.admin_unit_code = counts.admin_unit_code
    group by all
),

province_months as (
    -- every month of the data range in which the province existed
    select months.month_start::date as month_start, provinces.admin_unit_code
    from {{ month_range(
        "(select min(month_start) from counts)",
        "(select max(month_start) + interval 1 month from counts)"
    ) }} as months(month_start)
    cross join (select distinct admin_unit_code from by_province) as provinces
    inner join units on units.admin_unit_code = provinces.admin_unit_code
    where (months.month_start < {{ reform }} and units.exists_before_reform)
        or (months.month_start >= {{ reform }} and units.exists_after_reform)
),

dense as (
    -- a month without any dossier was still reported on by the newest load
    select
        * except (source_load_id, source_updated_at),
        coalesce(source_load_id, (select {{ arg_max("newest_load_id", "newest_updated_at") }}
            from counts)) as source_load_id,
        coalesce(source_updated_at, (select max(newest_updated_at) from counts))
            as source_updated_at
    from province_months
    left join by_province using (month_start, admin_unit_code)
)

{% for code, (numerator, denominator) in indicators.items() %}
select
    '{{ code }}' as indicator_code,
    admin_unit_code,
    month_start,
    {%- if denominator is none %}
    coalesce({{ numerator }}, 0)::double as value,
    null::double as numerator,
    null::double as denominator,
    {%- else %}
    100.0 * {{ numerator }} / nullif({{ denominator }}, 0) as value,
    coalesce({{ numerator }}, 0)::double as numerator,
    coalesce({{ denominator }}, 0)::double as denominator,
    {%- endif %}
    null::double as cumulative_value,
    null::double as plan_value,
    false as is_estimate,
    'dichvucong' as source,
    source_load_id,
    source_updated_at
from dense
{% if not loop.last %}union all{% endif %}
{%- endfor %}
