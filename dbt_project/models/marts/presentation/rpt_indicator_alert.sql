-- The alerts of fct_indicator_alert as a person reads them: the indicator's and the unit's
-- names (the unit in force at the period's end), Vietnamese names of the period, the alert
-- type and the severity, and whether the alert is still open (it is about its indicator's latest period
-- of that type, or an indicator with no figure at all; a report's alert is open).
with latest_period as (
    select indicator_code, period_type, max(period_end) as latest_period_end
    from {{ ref('fct_indicator_value') }}
    group by indicator_code, period_type
)

select
    a.indicator_code,
    -- a report's alert (missing, late) is about its indicator set
    coalesce(i.name_vi, a.indicator_set_name) as indicator_name,
    i.indicator_group,
    a.admin_unit_code,
    u.name_vi as admin_unit_name,
    u.level as admin_unit_level,
    case u.level when 'province' then 1 when 'district' then 2 else 3 end as admin_unit_level_rank,
    a.period_type,
    a.period_label,
    {{ period_label_vi('a.period_type', 'a.period_start', 'a.period_end') }}::{{ dbt.type_string() }}
        as period_name,
    a.period_start,
    a.period_end,
    a.alert_type,
    case a.alert_type
        when 'off_plan' then 'Chậm so với kế hoạch'
        when 'off_trend' then 'Biến động bất thường'
        when 'plan_at_risk' then 'Nguy cơ không đạt kế hoạch năm'
        when 'missing' then 'Thiếu số liệu'
        when 'late' then 'Báo cáo muộn'
        when 'blocked' then 'Số liệu bị giữ lại'
        else a.alert_type
    end as alert_type_name,
    a.severity,
    case a.severity
        when 'critical' then 'Nghiêm trọng'
        when 'warning' then 'Cần chú ý'
        when 'info' then 'Tích cực'
        else a.severity
    end as severity_name,
    a.message,
    a.actual_value,
    a.pct_of_plan,
    a.reference_value,
    a.deviation,
    a.source,
    a.refreshed_at,
    a.period_end >= coalesce(l.latest_period_end, a.period_end) as is_open,
    a.reporting_unit_code,
    a.indicator_set_code,
    a.indicator_count
from {{ ref('fct_indicator_alert') }} as a
left join {{ ref('dim_indicator') }} as i on i.indicator_code = a.indicator_code
left join {{ ref('dim_admin_unit') }} as u
    on u.admin_unit_code = a.admin_unit_code
    and a.period_end >= coalesce(u.valid_from, date '1900-01-01')
    and a.period_end < coalesce(u.valid_to, date '9999-12-31')
left join latest_period as l
    on l.indicator_code = a.indicator_code and l.period_type = a.period_type
