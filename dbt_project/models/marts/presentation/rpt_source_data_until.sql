-- How far each source's data reach, from the figures themselves (not the time of the run):
-- the latest month with a province-level monthly figure ("Số liệu đến tháng 09/2026", marked
-- "(ước tính)" when that month is still an estimate), or the latest school year for a source
-- that reports by school year only; with the source's state from dq_source_status (a source
-- not configured has no figure).
with figures as (
    select source, period_type, period_start, is_estimate
    from {{ ref('rpt_province_indicator_value') }}
),

reached as (
    select
        source,
        max(period_start) filter (where period_type = 'month') as latest_month_start,
        max(period_start) filter (where period_type = 'school_year') as latest_school_year_start
    from figures
    group by source
),

estimated as (
    select f.source, bool_or(f.is_estimate) as latest_month_is_estimate
    from figures as f
    inner join reached as r
        on r.source = f.source and f.period_start = r.latest_month_start
    where f.period_type = 'month'
    group by f.source
)

select
    s.source::varchar as source,
    s.source_title::varchar as source_title,
    s.status_vi::varchar as status_vi,
    r.latest_month_start::date as latest_month_start,
    case
        when r.latest_month_start is not null
            then 'Số liệu đến tháng ' || strftime(r.latest_month_start, '%m/%Y')
                || case when e.latest_month_is_estimate then ' (ước tính)' else '' end
        when r.latest_school_year_start is not null
            then format(
                'Số liệu đến năm học {}–{}',
                year(r.latest_school_year_start), year(r.latest_school_year_start) + 1
            )
        else 'Chưa có số liệu'
    end::varchar as data_until_label
from {{ ref('dq_source_status') }} as s
left join reached as r using (source)
left join estimated as e using (source)
