-- The reporting figures nothing places: an indicator the catalog does not know (for this
-- source), or an area that is no unit of the period's generation (by the period's end). Left
-- out of the indicators and kept for stewards (dq.dq_unplaced_record). A known indicator sent
-- in a report of another frequency is not counted by design (only the indicator's own
-- frequency counts) and is not listed here.
{%- set reform = "date '" ~ var('admin_reform_date') ~ "'" %}

with figures as (
    select * from {{ ref('int_reporting_figures_received') }}
),

indicators as (
    select indicator_code from {{ ref('indicators') }} where source = 'reporting'
),

units as (
    select admin_unit_code, generation from {{ ref('int_admin_units_unioned') }}
)

select
    'reporting' as source,
    case figures.channel when 'api' then 'reporting.so_lieu' else 'reporting.so_lieu_excel' end
        as dataset,
    figures.period_label,
    concat_ws(' | ', figures.reporting_unit_code, figures.indicator_set_code,
        figures.indicator_code, figures.admin_unit_code) as record_key,
    case when indicators.indicator_code is null
        then 'Chỉ tiêu ' || coalesce(figures.indicator_code, '(trống)')
            || ' không có trong danh mục chỉ tiêu.'
        else 'Mã địa bàn ' || coalesce(figures.admin_unit_code, '(trống)')
            || ' không thuộc danh mục đơn vị hành chính '
            || case when figures.period_end < {{ reform }} then 'trước' else 'từ' end
            || ' ngày 01/7/2025 (kỳ ' || figures.period_label || ').'
    end as reason,
    figures.source_load_id as load_id,
    figures.report_code as raw_location
from figures
left join indicators on indicators.indicator_code = figures.indicator_code
left join units
    on units.admin_unit_code = figures.admin_unit_code
    and units.generation = case when figures.period_end < {{ reform }}
        then 'before_2025_07' else 'from_2025_07' end
where indicators.indicator_code is null or units.admin_unit_code is null
