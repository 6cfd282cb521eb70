-- The state of each closed reporting period: one row per period a closing run closed
-- (dq_period_close), with the reports expected for it (fct_report_submission): complete when
-- every expected report arrived (on time or late), partial with what is missing otherwise.
-- Rebuilt on every refresh, so a partial period turns complete when its late report arrives.
with closes as (
    select * from {{ ref('dq_period_close') }}
),

reports as (
    select * from {{ ref('fct_report_submission') }}
),

counts as (
    select
        c.period_type,
        c.period_label,
        count(r.status) as reports_expected,
        count(r.status) filter (where r.status in ('on_time', 'late')) as reports_received,
        count(r.status) filter (where r.status = 'late') as reports_late,
        count(r.status) filter (where r.status in ('missing', 'sent_back')) as reports_missing,
        {{ string_agg_ordered(
            "r.reporting_unit_code || ' / ' || r.indicator_set_code
            || case when r.status = 'sent_back' then ' (bị trả lại)' else '' end",
            "'; '", "r.reporting_unit_code, r.indicator_set_code"
        ) }} filter (where r.status in ('missing', 'sent_back')) as missing_reports,
        {{ string_agg_ordered(
            "r.reporting_unit_code || ' / ' || r.indicator_set_code",
            "'; '", "r.reporting_unit_code, r.indicator_set_code"
        ) }} filter (where r.status = 'late') as late_reports
    from closes as c
    left join reports as r
        on r.period_type = c.period_type and r.period_label = c.period_label
    group by c.period_type, c.period_label
)

select
    -- ids
    c.period_type::{{ dbt.type_string() }} as period_type,
    c.period_label::{{ dbt.type_string() }} as period_label,
    -- period
    c.period_start::date as period_start,
    c.period_end::date as period_end,
    c.due_date::date as due_date,
    -- state
    case when n.reports_missing > 0 then 'partial' else 'complete' end::{{ dbt.type_string() }} as state,
    case
        when n.reports_missing > 0 then 'Thiếu báo cáo' else 'Đủ báo cáo'
    end::{{ dbt.type_string() }} as state_vi,
    n.reports_expected::bigint as reports_expected,
    n.reports_received::bigint as reports_received,
    n.reports_late::bigint as reports_late,
    n.reports_missing::bigint as reports_missing,
    n.missing_reports::{{ dbt.type_string() }} as missing_reports,
    n.late_reports::{{ dbt.type_string() }} as late_reports,
    case
        when n.reports_expected = 0 then 'Không có báo cáo phải gửi cho kỳ này.'
        when n.reports_missing > 0
            then 'Thiếu ' || n.reports_missing::{{ dbt.type_string() }} || '/' || n.reports_expected::{{ dbt.type_string() }}
                || ' báo cáo: ' || n.missing_reports || '.'
        else 'Đủ ' || n.reports_received::{{ dbt.type_string() }} || '/' || n.reports_expected::{{ dbt.type_string() }}
            || ' báo cáo' || case
                when n.reports_late > 0
                    then ' (' || n.reports_late::{{ dbt.type_string() }} || ' báo cáo gửi trễ hạn).'
                else '.'
            end
    end::{{ dbt.type_string() }} as details,
    -- the run that closed it (local time)
    c.closed_at::timestamp as closed_at,
    c.run_id::{{ dbt.type_string() }} as close_run_id
from closes as c
inner join counts as n using (period_type, period_label)
