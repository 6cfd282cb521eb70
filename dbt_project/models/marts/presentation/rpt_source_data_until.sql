-- How far each source's data reach, from the figures themselves (not the time of the run):
-- the latest month with a province-level monthly figure ("Số liệu đến tháng 09/2026", marked
-- "(ước tính)" when that month is still an estimate), or the latest school year for a source
-- that reports by school year only; with the source's state from dq_source_status (a source
-- not configured has no figure). One row per source: with many provinces, the month every
-- province's figures reach (the oldest of their latest months, the one that is true of the
-- whole region; a province's figures are those of its units, the old provinces merged into
-- it included), and the state of the source across provinces (dq_source_status has each).
with figures as (
    select
        f.source,
        coalesce(u.successor_province_code, f.admin_unit_code) as province,
        f.period_type,
        f.period_start,
        f.is_estimate
    from {{ ref('rpt_province_indicator_value') }} as f
    left join {{ ref('dim_admin_unit') }} as u on u.admin_unit_key = f.admin_unit_key
),

reached_by_province as (
    select
        source,
        province,
        max(period_start) filter (where period_type = 'month') as latest_month_start,
        max(period_start) filter (where period_type = 'school_year') as latest_school_year_start
    from figures
    group by source, province
),

reached as (
    select
        source,
        min(latest_month_start) as latest_month_start,
        min(latest_school_year_start) as latest_school_year_start
    from reached_by_province
    group by source
),

estimated as (
    select f.source, bool_or(f.is_estimate) as latest_month_is_estimate
    from figures as f
    inner join reached as r
        on r.source = f.source and f.period_start = r.latest_month_start
    where f.period_type = 'month'
    group by f.source
),

-- The provinces of dq_source_status: with many provinces, those of the registry (and any
-- other whose own ledger the lake holds). Its row of no province (null) beside them is the
-- one-province ledger (lake/_meta) left from the single-province layout while the lake is
-- converted to lake/province=<code>/_meta: its loads are one of these provinces' (its
-- figures count under that province's code), not a province of its own, so it is counted
-- only when it is the only one (a one-province warehouse).
provinces as (
    select * from {{ ref('dq_source_status') }}
    where province is not null
        or not exists (select 1 from {{ ref('dq_source_status') }} where province is not null)
),

-- a source delivering in some provinces only says in how many
states as (
    select
        source,
        max(source_title) as source_title,
        count(*) as provinces,
        count(*) filter (where status = 'delivering') as delivering,
        bool_or(is_configured) as any_configured
    from provinces
    group by source
)

select
    s.source::{{ dbt.type_string() }} as source,
    s.source_title::{{ dbt.type_string() }} as source_title,
    case
        when s.delivering = s.provinces then 'Đang cập nhật'
        when s.delivering > 0
            then 'Đang cập nhật (' || cast(s.delivering as {{ dbt.type_string() }}) || '/'
                || cast(s.provinces as {{ dbt.type_string() }}) || ' tỉnh)'
        when s.any_configured then 'Chưa có số liệu'
        else 'Chưa cấu hình'
    end::{{ dbt.type_string() }} as status_vi,
    r.latest_month_start::date as latest_month_start,
    case
        when r.latest_month_start is not null
            then 'Số liệu đến tháng ' || {{ format_date("r.latest_month_start", "%m/%Y") }}
                || case when e.latest_month_is_estimate then ' (ước tính)' else '' end
        when r.latest_school_year_start is not null
            then 'Số liệu đến năm học '
                || cast(year(r.latest_school_year_start) as {{ dbt.type_string() }}) || '–'
                || cast(year(r.latest_school_year_start) + 1 as {{ dbt.type_string() }})
        else 'Chưa có số liệu'
    end::{{ dbt.type_string() }} as data_until_label
from states as s
left join reached as r using (source)
left join estimated as e using (source)
