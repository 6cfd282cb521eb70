-- The standing tourism figures whose area code is no unit of their month's generation (before
-- or from 2025-07-01, by the month, never by the publication): left out of the indicators and
-- kept for stewards (dq.dq_unplaced_record) instead of falling out of a join.
{%- set reform = "date '" ~ var('admin_reform_date') ~ "'" %}

with figures as (
    select * from {{ ref('int_tourism_figures_latest') }}
),

units as (
    select admin_unit_code, generation from {{ ref('int_admin_units_unioned') }}
)

select
    'dulich' as source,
    'dulich.thong_ke_thang' as dataset,
    figures.month_label as period_label,
    figures.admin_unit_code as record_key,
    'Mã địa bàn ' || coalesce(figures.admin_unit_code, '(trống)')
        || ' không thuộc danh mục đơn vị hành chính '
        || case when figures.month_start < {{ reform }} then 'trước' else 'từ' end
        || ' ngày 01/7/2025 (tháng ' || figures.month_label || ').' as reason,
    figures.load_id,
    figures.source_ref as raw_location
from figures
left join units
    on units.admin_unit_code = figures.admin_unit_code
    and units.generation = case when figures.month_start < {{ reform }}
        then 'before_2025_07' else 'from_2025_07' end
where units.admin_unit_code is null
