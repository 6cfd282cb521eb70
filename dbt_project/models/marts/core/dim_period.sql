-- Every reporting period of the configured years: the calendar periods of the month bridge
-- plus school years (September–May, shown against the calendar year in which they end).
with calendar_periods as (
    select distinct period_type, period_label, period_start, period_end, months_in_period
    from {{ ref('int_months_mapped_to_periods') }}
),

school_years as (
    select
        'school_year' as period_type,
        (y - 1) || '-' || y as period_label,
        make_date(y - 1, 9, 1) as period_start,
        make_date(y, 5, 31) as period_end,
        9 as months_in_period
    from range({{ var('calendar_first_year') }}, {{ var('calendar_last_year') }} + 2) as t(y)
),

periods as (
    select * from calendar_periods
    union all
    select * from school_years
),

roman as (
    select * from (values (1, 'I'), (2, 'II'), (3, 'III'), (4, 'IV')) as t(q, numeral)
)

select
    period_type,
    period_label,
    period_start,
    period_end,
    year(period_end) as year,
    months_in_period,
    case period_type
        when 'month' then 'Tháng ' || month(period_start) || '/' || year(period_start)
        when 'quarter' then 'Quý ' || roman.numeral || '/' || year(period_start)
        when 'half_year' then
            (case when month(period_start) = 1 then '6 tháng đầu năm ' else '6 tháng cuối năm ' end)
            || year(period_start)
        when 'nine_months' then '9 tháng năm ' || year(period_start)
        when 'year' then 'Năm ' || year(period_start)
        when 'ytd' then 'Lũy kế đến tháng ' || month(period_end) || '/' || year(period_end)
        when 'school_year' then 'Năm học ' || period_label
    end as period_name_vi
from periods
left join roman on periods.period_type = 'quarter' and roman.q = quarter(periods.period_start)
