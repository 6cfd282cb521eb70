-- Alerts for leaders, one row per indicator (or report) × admin unit × period × alert type, direction
-- aware (dim_indicator.higher_is_better: true, false, or null for neutral), thresholds from
-- the seed alert_thresholds. What leaders can act on now: the newest figures, not history.
--   off_plan     — the indicator's newest year to date: a sum indicator's % of the annual
--                  plan lags the share of the year elapsed (a ceiling, where lower is better:
--                  runs ahead of it) by more than the warning / critical points; none while
--                  a report of a period inside it is missing (the missing alert stands);
--   off_trend    — a period of the last alert_window_months before the newest figure of its
--                  frequency, outside the 95 % interval of its one-step-ahead forecast
--                  (int_indicator_forecast_fits): the bad way a warning, critical beyond the
--                  interval by more than k half-widths; the good way `info`; neutral
--                  indicators a warning;
--   plan_at_risk — the forecast's chance of meeting this year's plan below a threshold;
--                  critical when also the expected outcome misses the plan by more than a
--                  share of it;
--   missing      — a report due in the last missing_window_months and never received: one
--                  alert per report (reporting unit × indicator set × period; its indicator
--                  null, how many indicators it carries in indicator_count);
--   late         — a report due in the last alert_window_months, sent after its due date
--                  (one per report, as missing);
--   blocked      — a window whose newest load the quality checks rejected (its figures are
--                  held back).
-- Messages in Vietnamese with unit and agency names; bad news never "đạt".
with figures as (
    select * from {{ ref('fct_indicator_value_current_unit') }}
),

indicators as (
    select * from {{ ref('dim_indicator') }}
),

settings as (
    select
        max(value) filter (parameter = 'off_plan_warning_points') as plan_warning,
        max(value) filter (parameter = 'off_plan_critical_points') as plan_critical,
        max(value) filter (parameter = 'off_trend_critical_excess') as trend_excess,
        max(value) filter (parameter = 'plan_risk_warning_probability') as risk_warning,
        max(value) filter (parameter = 'plan_risk_critical_probability') as risk_critical,
        max(value) filter (parameter = 'plan_risk_critical_shortfall_pct') as risk_shortfall,
        max(value) filter (parameter = 'missing_critical_days') as missing_days,
        max(value) filter (parameter = 'late_critical_days') as late_days,
        max(value) filter (parameter = 'alert_window_months')::integer as window_months,
        max(value) filter (parameter = 'missing_window_months')::integer as missing_months
    from {{ ref('alert_thresholds') }}
),

unit_names as (
    -- today's name of a unit code, lower-cased first letter for use inside a sentence
    select
        admin_unit_code,
        lower(left({{ arg_max("name_vi", "valid_from") }}, 1)) || substr({{ arg_max("name_vi", "valid_from") }}, 2)
            as unit_name
    from {{ ref('dim_admin_unit') }}
    group by admin_unit_code
),

agencies as (
    select agency_code, name_vi as agency_name from {{ ref('dim_agency') }}
),

plan_pace as (
    select
        figures.*,
        indicators.name_vi,
        indicators.higher_is_better,
        100.0 * month(figures.period_end) / 12 as pace,
        figures.pct_of_plan - 100.0 * month(figures.period_end) / 12 as gap,
        case when figures.source = 'ngansach' then 'dự toán' else 'kế hoạch' end as plan_word
    from figures
    inner join indicators using (indicator_code)
    where figures.period_type = 'ytd'
        and indicators.aggregation = 'sum'
        and indicators.higher_is_better is not null
        and figures.plan_value > 0
        and figures.pct_of_plan is not null
    -- the indicator's newest year to date only: an older one is history, not news
    qualify figures.period_end = max(figures.period_end) over (partition by figures.indicator_code)
),

newest as (
    -- the end of the newest figure of each period type
    select period_type, max(period_end) as newest_end
    from figures
    where actual_value is not null
    group by period_type
),

off_plan as (
    select
        plan_pace.indicator_code,
        plan_pace.admin_unit_code,
        plan_pace.period_type,
        plan_pace.period_label,
        plan_pace.period_start,
        plan_pace.period_end,
        'off_plan' as alert_type,
        plan_pace.actual_value,
        plan_pace.pct_of_plan,
        plan_pace.pace as reference_value,
        plan_pace.source,
        plan_pace.gap as deviation,
        case when abs(plan_pace.gap) > settings.plan_critical then 'critical' else 'warning' end
            as severity,
        false as is_good_news,
        plan_pace.name_vi || ' ' || month(plan_pace.period_end) || ' tháng của '
            || unit_names.unit_name
            || case when plan_pace.higher_is_better
                then ' đạt ' || {{ vi_number('plan_pace.pct_of_plan') }} || '% '
                    || plan_pace.plan_word || ' năm, thấp hơn tiến độ '
                else ' đã ở mức ' || {{ vi_number('plan_pace.pct_of_plan') }} || '% '
                    || plan_pace.plan_word || ' năm, vượt tiến độ '
            end
            || {{ vi_number('abs(plan_pace.gap)') }} || ' điểm.' as message
    from plan_pace
    cross join settings
    inner join unit_names using (admin_unit_code)
    where (plan_pace.higher_is_better and plan_pace.gap < -settings.plan_warning)
        or (not plan_pace.higher_is_better and plan_pace.gap > settings.plan_warning)
),

fitted as (
    select
        fits.*,
        figures.actual_value as figure,
        figures.period_type,
        figures.period_label,
        figures.period_end,
        figures.source,
        indicators.name_vi,
        indicators.unit,
        indicators.higher_is_better,
        (fits.hi_95 - fits.lo_95) / 2 as half_width,
        case when figures.actual_value > fits.hi_95 then 'up' else 'down' end as way
    from {{ ref('int_indicator_forecast_fits') }} as fits
    inner join figures
        on figures.indicator_code = fits.indicator_code
        and figures.admin_unit_code = fits.admin_unit_code
        and figures.period_type = fits.frequency
        and figures.period_start = fits.period_start
    inner join indicators on indicators.indicator_code = fits.indicator_code
    inner join newest on newest.period_type = figures.period_type
    cross join settings
    where fits.record = 'fitted'
        and (figures.actual_value > fits.hi_95 or figures.actual_value < fits.lo_95)
        and figures.period_end > newest.newest_end - to_months(settings.window_months)
),

off_trend as (
    select
        fitted.indicator_code,
        fitted.admin_unit_code,
        fitted.period_type,
        fitted.period_label,
        fitted.period_start::date as period_start,
        fitted.period_end,
        'off_trend' as alert_type,
        fitted.figure as actual_value,
        null::double as pct_of_plan,
        fitted.forecast as reference_value,
        fitted.source,
        100.0 * (fitted.figure - fitted.forecast) / nullif(abs(fitted.forecast), 0) as deviation,
        (fitted.way = 'up') = fitted.higher_is_better as is_good_news,
        case
            when (fitted.way = 'up') = fitted.higher_is_better then 'info'
            when fitted.higher_is_better is not null
                and greatest(fitted.figure - fitted.hi_95, fitted.lo_95 - fitted.figure)
                > settings.trend_excess * fitted.half_width then 'critical'
            else 'warning'
        end as severity,
        fitted.name_vi || ' '
            || case fitted.period_type
                when 'quarter'
                    then 'quý ' || quarter(fitted.period_start) || '/' || year(fitted.period_start)
                when 'year' then 'năm ' || year(fitted.period_start)
                when 'school_year' then 'năm học ' || fitted.period_label
                else 'tháng ' || {{ format_date("fitted.period_start", "%m/%Y") }} end
            || ' của ' || unit_names.unit_name
            || case
                when fitted.higher_is_better and fitted.way = 'up' then ' đạt '
                when fitted.higher_is_better is not null and not fitted.higher_is_better
                    and fitted.way = 'down' then ' giảm còn '
                else ' là '
            end
            || {{ vi_quantity('fitted.figure', 'fitted.unit') }} || ', '
            || case when fitted.way = 'up' then 'cao' else 'thấp' end || ' hơn dự báo '
            || {{ vi_quantity('fitted.forecast', 'fitted.unit') }}
            || ' và ngoài khoảng dự báo 95% (' || {{ vi_number('fitted.lo_95') }} || '–'
            || {{ vi_number('fitted.hi_95') }} || ').' as message
    from fitted
    cross join settings
    inner join unit_names using (admin_unit_code)
),

plan_at_risk as (
    select distinct on (forecasts.indicator_code, forecasts.admin_unit_code)
        forecasts.indicator_code,
        forecasts.admin_unit_code,
        'year' as period_type,
        forecasts.plan_year::{{ dbt.type_string() }} as period_label,
        make_date(forecasts.plan_year, 1, 1) as period_start,
        make_date(forecasts.plan_year, 12, 31) as period_end,
        'plan_at_risk' as alert_type,
        null::double as actual_value,
        null::double as pct_of_plan,
        forecasts.plan_value as reference_value,
        indicators.source,
        100.0 * forecasts.plan_met_probability as deviation,
        false as is_good_news,
        case when forecasts.plan_met_probability < settings.risk_critical
                and forecasts.shortfall > settings.risk_shortfall then 'critical'
            else 'warning' end as severity,
        indicators.name_vi || ' của ' || unit_names.unit_name || ': theo dự báo, khả năng '
            || case when indicators.higher_is_better is not null
                and not indicators.higher_is_better then 'giữ trong mức '
                else 'hoàn thành ' end
            || case when indicators.source = 'ngansach' then 'dự toán' else 'kế hoạch' end
            || ' năm ' || forecasts.plan_year || ' ('
            || {{ vi_quantity('forecasts.plan_value', 'indicators.unit') }} || ') '
            || case when forecasts.plan_met_probability < 0.01 then 'dưới 1%'
                else 'chỉ khoảng '
                    || {{ vi_number('round(100 * forecasts.plan_met_probability)', 0) }} || '%'
            end
            || coalesce('; dự báo cả năm khoảng '
                || {{ vi_quantity('forecasts.plan_expected_value', 'indicators.unit') }}
                || ', bằng ' || {{ vi_number(
                    'round(100 * forecasts.plan_expected_value / nullif(forecasts.plan_value, 0))',
                    0) }} || '% '
                || case when indicators.source = 'ngansach' then 'dự toán' else 'kế hoạch' end,
                '') || '.' as message
    from (
        select
            fc.*,
            -- how far the expected outcome misses the plan, in % of it (the bad way)
            100.0 * case when ind.higher_is_better is not null and not ind.higher_is_better
                then fc.plan_expected_value - fc.plan_value
                else fc.plan_value - fc.plan_expected_value end
                / nullif(abs(fc.plan_value), 0) as shortfall
        from {{ ref('fct_indicator_forecast') }} as fc
        inner join indicators as ind on ind.indicator_code = fc.indicator_code
    ) as forecasts
    cross join settings
    inner join indicators on indicators.indicator_code = forecasts.indicator_code
    inner join unit_names on unit_names.admin_unit_code = forecasts.admin_unit_code
    where forecasts.plan_met_probability < settings.risk_warning
    order by forecasts.indicator_code, forecasts.admin_unit_code
),

set_indicators as (
    -- the set's indicators: the reporting system's catalog, and any it has given figures for
    select indicator_code, {{ arg_max("indicator_set_code", "extracted_at") }} as indicator_set_code
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
        {{ arg_max("figures.admin_unit_code", "figures.period_end") }} as admin_unit_code
    from {{ ref('int_reporting_figures_counted') }} as figures
    inner join {{ ref('int_admin_units_unioned') }} as units
        on units.admin_unit_code = figures.admin_unit_code and units.level = 'province'
    group by all
),

submissions as (
    select
        submissions.*,
        set_indicators.indicator_code,
        reporting_provinces.admin_unit_code,
        indicators.name_vi,
        coalesce(agencies.agency_name, submissions.reporting_unit_code) as agency_name,
        coalesce(submissions.indicator_set_name, submissions.indicator_set_code) as set_name,
        -- the period as written inside a sentence: "tháng 9/2026", "quý III/2026", "năm 2025"
        lower(left(period_vi, 1)) || substr(period_vi, 2) as period_name
    from (
        select
            *,
            {{ period_label_vi('period_type', 'period_start', 'period_end') }} as period_vi
        from {{ ref('fct_report_submission') }}
    ) as submissions
    inner join set_indicators using (indicator_set_code)
    inner join indicators using (indicator_code)
    inner join reporting_provinces using (reporting_unit_code, indicator_set_code)
    left join agencies on agencies.agency_code = submissions.reporting_unit_code
    where submissions.status in ('missing', 'late')
),

gaps as (
    -- each indicator of a report missing (due in the last missing_window_months) or late
    -- (due in the last alert_window_months): what the off-plan rule gives way to
    select submissions.*
    from submissions
    cross join settings
    where submissions.due_date > submissions.expected_as_of::date - to_months(
        case when submissions.status = 'missing' then settings.missing_months
            else settings.window_months end
    )
),

reports as (
    -- one row per missing or late report: reporting unit × indicator set × period
    select
        reporting_unit_code, indicator_set_code, set_name, agency_name, admin_unit_code,
        period_type, period_label, period_start, period_end, period_name, status, due_date,
        submitted_at, expected_as_of,
        count(distinct indicator_code) as indicator_count
    from gaps
    group by all
),

missing_or_late as (
    select
        null::{{ dbt.type_string() }} as indicator_code,
        reports.admin_unit_code,
        reports.period_type,
        reports.period_label,
        reports.period_start,
        reports.period_end,
        reports.status as alert_type,
        null::double as actual_value,
        null::double as pct_of_plan,
        null::double as reference_value,
        'reporting' as source,
        case when reports.status = 'missing'
            then date_diff('day', reports.due_date, reports.expected_as_of::date)
            else date_diff('day', reports.due_date, reports.submitted_at::date)
        end::double as deviation,
        false as is_good_news,
        case
            when reports.status = 'missing'
                and reports.due_date + settings.missing_days::integer
                < reports.expected_as_of::date then 'critical'
            when reports.status = 'late'
                and reports.due_date + settings.late_days::integer
                < reports.submitted_at::date then 'critical'
            else 'warning'
        end as severity,
        reports.agency_name
            || case when reports.status = 'missing' then ' chưa gửi' else ' gửi' end
            || ' báo cáo ' || reports.period_name || ' (' || reports.set_name || ', '
            || reports.indicator_count || ' chỉ tiêu)'
            || case when reports.status = 'missing'
                then ', đã quá hạn '
                    || date_diff('day', reports.due_date, reports.expected_as_of::date)
                    || ' ngày (hạn gửi ' || {{ format_date("reports.due_date", "%d/%m/%Y") }} || ').'
                else ' ngày ' || {{ format_date("reports.submitted_at", "%d/%m/%Y") }} || ', chậm '
                    || date_diff('day', reports.due_date, reports.submitted_at::date)
                    || ' ngày so với hạn ' || {{ format_date("reports.due_date", "%d/%m/%Y") }} || '.'
            end as message,
        reports.reporting_unit_code,
        reports.indicator_set_code,
        reports.set_name as indicator_set_name,
        reports.indicator_count
    from reports
    cross join settings
),

blocked as (
    select
        indicators.indicator_code,
        units.admin_unit_code,
        'month' as period_type,
        {{ format_date("ledger.window_start", "%Y-%m") }} as period_label,
        date_trunc('month', ledger.window_start)::date as period_start,
        last_day(ledger.window_start)::date as period_end,
        'blocked' as alert_type,
        null::double as actual_value,
        null::double as pct_of_plan,
        null::double as reference_value,
        ledger.source,
        null::double as deviation,
        false as is_good_news,
        'critical' as severity,
        'Số liệu ' || indicators.name_vi || ' tháng ' || {{ format_date("ledger.window_start", "%m/%Y") }}
            || ' bị giữ lại do không đạt kiểm tra chất lượng (lần nạp ' || ledger.load_id
            || coalesce(': ' || ledger.message, '') || ').' as message
    from (
        -- the newest load of each dataset's window: a window loaded again since is not held
        select *
        from {{ ref('load_ledger') }}
        where window_start is not null
        qualify row_number() over (
            partition by source, dataset, window_start order by started_at desc
        ) = 1
    ) as ledger
    inner join indicators on indicators.source = ledger.source
    inner join (
        select distinct figures.indicator_code, figures.admin_unit_code
        from figures
        inner join {{ ref('dim_admin_unit') }} as units
            on units.admin_unit_key = figures.admin_unit_key and units.level = 'province'
    ) as units on units.indicator_code = indicators.indicator_code
    where ledger.status = 'rejected' and ledger.window_start is not null
    qualify row_number() over (
        partition by indicators.indicator_code, units.admin_unit_code, period_label
        order by ledger.started_at desc
    ) = 1
),

alerts as (
    select * from off_plan
    -- a year to date with a report of its periods missing is short by that report: the
    -- missing alert says what is wrong, not an off-plan one
    where not exists (
        select 1
        from gaps
        where gaps.status = 'missing'
            and gaps.indicator_code = off_plan.indicator_code
            and gaps.admin_unit_code = off_plan.admin_unit_code
            and gaps.period_start >= off_plan.period_start
            and gaps.period_end <= off_plan.period_end
    )
    union all by name
    select * from off_trend
    union all by name
    select * from plan_at_risk
    union all by name
    select * from missing_or_late
    union all by name
    select * from blocked
)

select
    alerts.indicator_code,
    alerts.admin_unit_code,
    alerts.period_type,
    alerts.period_label,
    alerts.period_start,
    alerts.period_end,
    alerts.alert_type,
    alerts.severity,
    alerts.message,
    alerts.actual_value,
    alerts.pct_of_plan,
    alerts.reference_value,
    alerts.deviation,
    alerts.source,
    {{ run_started_at_local() }} as refreshed_at,
    alerts.is_good_news,
    unit_names.unit_name as admin_unit_name,
    alerts.reporting_unit_code,
    alerts.indicator_set_code,
    alerts.indicator_set_name,
    alerts.indicator_count
from alerts
left join unit_names using (admin_unit_code)
