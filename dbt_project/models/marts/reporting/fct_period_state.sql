-- The state of each reporting period: one row per period a closing run closed
-- (dq_period_close), with the reports expected for it (fct_report_submission): complete when
-- every expected report arrived (on time or late), partial with what is missing otherwise.
-- And its deadline (Airflow 3 has no SLA; this is the check): a period must be closed by the
-- day after its due date (macros/reporting.sql, period_close_by; the due dates are the seed's
-- rule of its period type). Its first close met it (on_time), missed it (late), or loaded it as
-- history (backfill); a period whose day passed with no close, of a type closed before, has a
-- row too (not_closed). Rebuilt on every refresh: a partial period turns complete when its
-- late report arrives, a period not closed gets its row when its close runs.
with closes as (
    select * from {{ ref('dq_period_close') }}
),

reports as (
    select * from {{ ref('fct_report_submission') }}
),

rules as (
    select period_type, months_after_period_end, due_day
    from {{ ref('report_due_rules') }}
    where indicator_set_code is null
),

today as (
    select {{ run_started_at_local() }}::date as today
),

months as (
    -- every month from the first closed period's start to today
    select unnest(generate_series(
        (select min(period_start) from closes), (select today from today), interval 1 month
    ))::date as month_start
),

calendar as (
    -- every period of each type that ends in those months (ioc/calendar.py's PERIOD_ENDS)
    select
        t.period_type,
        (months.month_start - to_months(t.span - 1))::date as period_start,
        last_day(months.month_start) as period_end
    from months
    inner join (
        values ('month', 1), ('quarter', 3), ('half_year', 6), ('nine_months', 9), ('year', 12)
    ) as t (period_type, span)
        on month(months.month_start) % t.span = 0  -- 9 months: September only
),

not_closed as (
    select
        c.period_type,
        case c.period_type
            when 'month' then strftime(c.period_end, '%Y-%m')
            when 'quarter' then strftime(c.period_end, '%Y') || '-Q' || (month(c.period_end) // 3)
            when 'half_year' then strftime(c.period_end, '%Y') || '-H' || (month(c.period_end) // 6)
            when 'nine_months' then strftime(c.period_end, '%Y') || '-9M'
            else strftime(c.period_end, '%Y')
        end as period_label,
        c.period_start,
        c.period_end,
        {{ regime_due_date('c.period_end', 'r.months_after_period_end', 'r.due_day') }} as due_date,
        null::timestamp as closed_at,
        null::varchar as dag_id,
        null::varchar as run_id,
        null::timestamp as first_closed_at,
        null::varchar as first_run_type
    from calendar as c
    inner join rules as r using (period_type)
    inner join (
        select period_type, min(period_end) as first_end from closes group by period_type
    ) as f using (period_type)
    cross join today
    where c.period_end >= f.first_end
        and {{ period_close_by(regime_due_date('c.period_end', 'r.months_after_period_end', 'r.due_day')) }}
        < today.today
        and not exists (
            select 1 from closes as k
            where k.period_type = c.period_type and k.period_end = c.period_end
        )
),

periods as (
    select
        period_type, period_label, period_start, period_end, due_date, closed_at, dag_id,
        run_id, first_closed_at, first_run_type
    from closes
    union all
    select * from not_closed
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
    from periods as c
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
    -- its deadline: closed by the day after the due date?
    {{ period_close_by('c.due_date') }} as close_by,
    case
        when c.first_closed_at is null then 'not_closed'
        when c.first_run_type = 'backfill' then 'backfill'
        when c.first_closed_at::date <= {{ period_close_by('c.due_date') }} then 'on_time'
        else 'late'
    end::{{ dbt.type_string() }} as close_state,
    case
        when c.first_closed_at is null then 'Quá hạn, chưa khóa sổ'
        when c.first_run_type = 'backfill' then 'Khóa sổ khi nạp dữ liệu lịch sử'
        when c.first_closed_at::date <= {{ period_close_by('c.due_date') }}
            then 'Khóa sổ đúng hạn'
        else 'Khóa sổ trễ hạn'
    end::{{ dbt.type_string() }} as close_state_vi,
    case
        when c.first_closed_at is null
            then {{ dbt.datediff(period_close_by('c.due_date'), "today.today", "day") }}
        when c.first_run_type <> 'backfill'
            and c.first_closed_at::date > {{ period_close_by('c.due_date') }}
            then {{ dbt.datediff(period_close_by('c.due_date'), "c.first_closed_at::date", "day") }}
    end::integer as days_late,
    -- the run that closed it (local time); its first close
    c.closed_at::timestamp as closed_at,
    c.run_id::{{ dbt.type_string() }} as close_run_id,
    c.first_closed_at::timestamp as first_closed_at,
    c.first_run_type::{{ dbt.type_string() }} as first_run_type
from periods as c
inner join counts as n using (period_type, period_label)
cross join today
