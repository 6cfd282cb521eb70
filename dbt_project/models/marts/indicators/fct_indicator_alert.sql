-- Alerts for leaders, one row per indicator × admin unit × period × alert type, over the
-- figures of every source in fct_indicator_value and the reports of fct_report_submission:
--   off_plan  — a higher-is-better flow (sum) indicator whose year-to-date % of the annual
--               plan lags the share of the year elapsed (month/12) by more than 10 points
--               (warning) or 20 points (critical);
--   off_trend — a monthly value outside ±50 % of the same month last year, or, with no last
--               year, of the mean of the previous 3 months (all three needed): warning; below
--               a quarter or above twice the reference: critical;
--   missing   — a report due and never received: one alert per indicator of its set, on the
--               province the reporting unit reports for; critical once 30 days overdue.
-- Messages in Vietnamese with the figures (numbers written 1.234,5).
with figures as (
    select * from {{ ref('fct_indicator_value') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

off_plan as (
    select
        figures.indicator_code,
        figures.admin_unit_code,
        figures.period_type,
        figures.period_label,
        figures.period_start,
        figures.period_end,
        'off_plan' as alert_type,
        figures.actual_value,
        figures.pct_of_plan,
        100.0 * month(figures.period_end) / 12 as reference_value,
        figures.source,
        figures.pct_of_plan - 100.0 * month(figures.period_end) / 12 as deviation,
        case when figures.pct_of_plan < 100.0 * month(figures.period_end) / 12 - 20
            then 'critical' else 'warning' end as severity,
        indicators.name_vi || ' lũy kế ' || month(figures.period_end) || ' tháng đạt '
            || {{ vi_number('figures.pct_of_plan') }} || '% '
            || case when figures.source = 'ngansach' then 'dự toán' else 'kế hoạch' end
            || ' năm, thấp hơn tiến độ ('
            || {{ vi_number('100.0 * month(figures.period_end) / 12') }} || '%).' as message
    from figures
    inner join indicators using (indicator_code)
    where figures.period_type = 'ytd'
        and indicators.aggregation = 'sum'
        and indicators.higher_is_better
        and figures.plan_value > 0
        and figures.pct_of_plan < 100.0 * month(figures.period_end) / 12 - 10
),

months as (
    select
        figures.*,
        avg(actual_value) over previous_3 as mean_previous_3,
        count(actual_value) over previous_3 as months_previous_3
    from figures
    where period_type = 'month'
    window previous_3 as (
        partition by indicator_code, admin_unit_code order by period_start
        range between interval 3 month preceding and interval 1 month preceding
    )
),

trend as (
    select
        *,
        coalesce(
            same_period_last_year, case when months_previous_3 = 3 then mean_previous_3 end
        ) as reference_value,
        same_period_last_year is not null as against_last_year
    from months
    where actual_value is not null
),

off_trend as (
    select
        trend.indicator_code,
        trend.admin_unit_code,
        trend.period_type,
        trend.period_label,
        trend.period_start,
        trend.period_end,
        'off_trend' as alert_type,
        trend.actual_value,
        trend.pct_of_plan,
        trend.reference_value,
        trend.source,
        100.0 * (trend.actual_value - trend.reference_value) / abs(trend.reference_value)
            as deviation,
        case when trend.actual_value < 0.25 * trend.reference_value
            or trend.actual_value > 2 * trend.reference_value
            then 'critical' else 'warning' end as severity,
        indicators.name_vi || ' tháng ' || strftime(trend.period_start, '%m/%Y') || ' đạt '
            || {{ vi_number('trend.actual_value') }}
            || case when indicators.unit = '%' then '%' else ' ' || indicators.unit end || ', '
            || case when trend.actual_value > trend.reference_value then 'tăng ' else 'giảm ' end
            || {{ vi_number('abs(100.0 * (trend.actual_value - trend.reference_value) / trend.reference_value)') }}
            || '% so với '
            || case when trend.against_last_year then 'cùng kỳ năm trước'
                else 'trung bình 3 tháng trước' end
            || ' (' || {{ vi_number('trend.reference_value') }} || ').' as message
    from trend
    inner join indicators using (indicator_code)
    where trend.reference_value > 0
        and (trend.actual_value < 0.5 * trend.reference_value
            or trend.actual_value > 1.5 * trend.reference_value)
),

submissions as (
    select * from {{ ref('fct_report_submission') }}
    where status = 'missing'
),

set_indicators as (
    -- the set's indicators: the reporting system's catalog, and any it has given figures for
    select indicator_code, arg_max(indicator_set_code, extracted_at) as indicator_set_code
    from {{ ref('stg_reporting__chi_tieu') }}
    group by indicator_code
    union
    select distinct indicator_code, indicator_set_code
    from {{ ref('int_reporting_figures_counted') }}
),

reporting_provinces as (
    -- the province a reporting unit reports a set for: the newest it gave figures on
    select
        figures.reporting_unit_code,
        figures.indicator_set_code,
        arg_max(figures.admin_unit_code, figures.period_end) as admin_unit_code
    from {{ ref('int_reporting_figures_counted') }} as figures
    inner join {{ ref('int_admin_units_unioned') }} as units
        on units.admin_unit_code = figures.admin_unit_code and units.level = 'province'
    group by all
),

missing as (
    select
        set_indicators.indicator_code,
        reporting_provinces.admin_unit_code,
        submissions.period_type,
        submissions.period_label,
        submissions.period_start,
        submissions.period_end,
        'missing' as alert_type,
        null::double as actual_value,
        null::double as pct_of_plan,
        null::double as reference_value,
        'reporting' as source,
        date_diff('day', submissions.due_date, submissions.expected_as_of::date)::double
            as deviation,
        case when submissions.due_date + 30 < submissions.expected_as_of::date
            then 'critical' else 'warning' end as severity,
        'Chưa có số liệu ' || indicators.name_vi || ' kỳ ' || submissions.period_label
            || ': ' || submissions.reporting_unit_code || ' chưa gửi báo cáo '
            || coalesce(submissions.indicator_set_name, submissions.indicator_set_code)
            || ' (hạn gửi ' || strftime(submissions.due_date, '%d/%m/%Y') || ').' as message
    from submissions
    inner join set_indicators using (indicator_set_code)
    inner join indicators using (indicator_code)
    inner join reporting_provinces using (reporting_unit_code, indicator_set_code)
),

alerts as (
    select * from off_plan
    union all by name
    select * from off_trend
    union all by name
    select * from missing
)

select
    indicator_code,
    admin_unit_code,
    period_type,
    period_label,
    period_start,
    period_end,
    alert_type,
    severity,
    message,
    actual_value,
    pct_of_plan,
    reference_value,
    deviation,
    source,
    {{ run_started_at_local() }} as refreshed_at
from alerts
