-- Reports due, as a person reads them: the reporting agency's name and level, the indicator
-- set, the period's kind and name in Vietnamese and the status in Vietnamese; one row per
-- report due (fct_report_submission), for the reporting-regime dashboard's filters and the
-- agencies' top and bottom ten.
select
    s.reporting_unit_code::{{ dbt.type_string() }} as reporting_unit_code,
    coalesce(a.name_vi, s.reporting_unit_code)::{{ dbt.type_string() }} as reporting_unit_name,
    {{ admin_level_vi('a.level') }}::{{ dbt.type_string() }} as reporting_unit_level_name,
    s.indicator_set_code::{{ dbt.type_string() }} as indicator_set_code,
    s.indicator_set_name::{{ dbt.type_string() }} as indicator_set_name,
    s.period_type::{{ dbt.type_string() }} as period_type,
    {{ period_type_vi('s.period_type') }}::{{ dbt.type_string() }} as period_type_name,
    {{ period_label_vi('s.period_type', 's.period_start', 's.period_end') }}::{{ dbt.type_string() }}
        as period_name,
    s.period_start::date as period_start,
    s.due_date::date as due_date,
    s.status::{{ dbt.type_string() }} as status,
    case s.status
        when 'on_time' then 'Đúng hạn'
        when 'late' then 'Trễ hạn'
        when 'missing' then 'Chưa gửi'
        when 'sent_back' then 'Bị trả lại'
    end::{{ dbt.type_string() }} as status_name,
    (s.status = 'on_time')::integer as is_on_time,
    s.days_late::integer as days_late
from {{ ref('fct_report_submission') }} as s
left join {{ ref('dim_agency') }} as a on a.agency_code = s.reporting_unit_code
