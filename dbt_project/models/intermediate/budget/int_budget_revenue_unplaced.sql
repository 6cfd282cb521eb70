-- The standing budget revenue rows nothing places: a unit code that is no unit of the month's
-- generation, or a revenue group the indicator catalog does not know. Left out of the
-- indicators (int_budget_revenue_indicators_by_unit_month) and kept for stewards
-- (dq.dq_unplaced_record) instead of falling out of a join.
{%- set reform = "date '" ~ var('admin_reform_date') ~ "'" %}

with rows as (
    select * from {{ ref('int_budget_revenue_restated') }}
),

units as (
    select admin_unit_code, generation from {{ ref('int_admin_units_unioned') }}
),

catalog as (
    select indicator_code from {{ ref('indicators') }} where source = 'ngansach'
)

select
    'ngansach' as source,
    'ngansach.thu_ngan_sach' as dataset,
    rows.month_label as period_label,
    concat_ws(' | ', rows.admin_unit_code, rows.budget_level, rows.revenue_group_code)
        as record_key,
    case when units.admin_unit_code is null
        then 'Mã đơn vị ' || coalesce(rows.admin_unit_code, '(trống)')
            || ' không thuộc danh mục đơn vị hành chính '
            || case when rows.month_start < {{ reform }} then 'trước' else 'từ' end
            || ' ngày 01/7/2025 (kỳ ' || rows.month_label || ').'
        else 'Nhóm thu ' || coalesce(rows.revenue_group_code, '(trống)')
            || ' không có trong danh mục chỉ tiêu.'
    end as reason,
    rows.load_id,
    rows.source_ref as raw_location
from rows
left join units
    on units.admin_unit_code = rows.admin_unit_code
    and units.generation = case when rows.month_start < {{ reform }}
        then 'before_2025_07' else 'from_2025_07' end
left join catalog on catalog.indicator_code = 'TNS_' || rows.revenue_group_code
where units.admin_unit_code is null or catalog.indicator_code is null
