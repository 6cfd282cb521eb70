-- Every calendar month of the configured years, once per period that contains it (month,
-- quarter, half_year, nine_months, year, and each ytd period ending in or after it).
-- period_label_last_year names the same period one year earlier (for same_period_last_year).
with months as (
    select month_start::date as month_start
    from {{ month_range(
        "make_date(" ~ var('calendar_first_year') ~ ", 1, 1)",
        "make_date(" ~ var('calendar_last_year') ~ " + 1, 1, 1)"
    ) }} as t(month_start)
),

calendar as (
    select month_start, year(month_start) as y, month(month_start) as m from months
),

periods as (
    select month_start, 'month' as period_type, {{ format_date("month_start", "%Y-%m") }} as label_tail,
        month_start as period_start, 1 as months_in_period
    from calendar
    union all
    select month_start, 'quarter', 'Q' || quarter(month_start),
        date_trunc('quarter', month_start)::date, 3
    from calendar
    union all
    select month_start, 'half_year', case when m <= 6 then 'H1' else 'H2' end,
        make_date(y, case when m <= 6 then 1 else 7 end, 1), 6
    from calendar
    union all
    select month_start, 'nine_months', '9M', make_date(y, 1, 1), 9
    from calendar where m <= 9
    union all
    select month_start, 'year', null, make_date(y, 1, 1), 12
    from calendar
    union all
    select calendar.month_start, 'ytd', {{ format_date("period_month.month_start", "%m") }} || '-YTD',
        make_date(calendar.y, 1, 1), period_month.m
    from calendar
    inner join calendar as period_month
        on period_month.y = calendar.y and period_month.m >= calendar.m
)

select
    month_start,
    period_type,
    -- labels: 2024-03, 2024-Q1, 2024-H1, 2024-9M, 2024, 2024-03-YTD
    case
        when period_type = 'month' then label_tail
        when label_tail is null then year(period_start)::{{ dbt.type_string() }}
        else year(period_start) || '-' || label_tail
    end as period_label,
    case
        when period_type = 'month' then {{ format_date("month_start - interval 1 year", "%Y-%m") }}
        when label_tail is null then (year(period_start) - 1)::{{ dbt.type_string() }}
        else (year(period_start) - 1) || '-' || label_tail
    end as period_label_last_year,
    period_start,
    ({{ add_months('period_start', 'months_in_period') }} - interval 1 day)::date as period_end,
    months_in_period
from periods
