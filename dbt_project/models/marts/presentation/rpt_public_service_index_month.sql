-- The Decision 766 index by agency × month (agg_public_service_index_month) with the
-- agency's name and level in Vietnamese, the month as a person reads it ("Tháng 10/2026"),
-- and a flag for the latest month served.
select
    s.month_start,
    s.period_label,
    {{ period_label_vi("'month'", 's.month_start', 's.month_start') }}::{{ dbt.type_string() }}
        as period_name,
    s.agency_code,
    coalesce(a.name_vi, s.agency_code)::{{ dbt.type_string() }} as agency_name,
    a.level as agency_level,
    case a.level
        when 'province' then 'Cấp tỉnh'
        when 'district' then 'Cấp huyện'
        when 'commune' then 'Cấp xã'
    end as agency_level_name,
    s.progress_points,
    s.digitisation_points,
    s.online_points,
    s.satisfaction_points,
    s.total_points,
    s.measured_max_points,
    s.index_pct,
    s.month_start = max(s.month_start) over () as is_latest_month
from {{ ref('agg_public_service_index_month') }} as s
left join {{ ref('dim_agency') }} as a on a.agency_code = s.agency_code
