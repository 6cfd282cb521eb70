-- The figures that count, one row per indicator × area × period, from both channels: over the
-- API the figures of each report's newest approved version (as the newest load holding that
-- version gave them), from Excel the rows of each report's newest file. Only indicators of
-- seeds/indicators.csv with source = reporting, reported at the indicator's own frequency
-- (a school-year indicator comes in a yearly report: year Y is school year (Y-1)-Y). Area codes
-- that are not units of the period's generation (by the period's end) are left out (flagged
-- by the load's checks), like unknown indicator codes.
{%- set reform = "date '" ~ var('admin_reform_date') ~ "'" %}

with approved as (
    select * from {{ ref('int_reports_approved') }}
),

api_figures as (
    select * from {{ ref('stg_reporting__so_lieu') }}
    qualify dense_rank() over (
        partition by report_code, version order by extracted_at desc, load_id desc
    ) = 1
),

excel as (
    select * from {{ ref('int_excel_reports_latest') }}
),

figures as (
    select
        api_figures.indicator_code,
        api_figures.admin_unit_code,
        approved.period_type,
        approved.period_label,
        approved.period_start,
        approved.period_end,
        api_figures.actual_value,
        api_figures.plan_value,
        api_figures.numerator,
        api_figures.denominator,
        'api' as channel,
        approved.reporting_unit_code,
        approved.indicator_set_code,
        approved.report_code,
        approved.version,
        api_figures.load_id as source_load_id,
        approved.updated_at as source_updated_at
    from approved
    inner join api_figures using (report_code, version)
    union all
    select
        indicator_code,
        admin_unit_code,
        period_type,
        period_label,
        period_start,
        period_end,
        actual_value,
        plan_value,
        null::double as numerator,
        null::double as denominator,
        'excel' as channel,
        reporting_unit_code,
        indicator_set_code,
        null as report_code,
        files_received as version,
        load_id as source_load_id,
        extracted_at as source_updated_at
    from excel
),

indicators as (
    select indicator_code, frequency, aggregation
    from {{ ref('indicators') }}
    where source = 'reporting'
),

units as (
    select admin_unit_code, generation from {{ ref('int_admin_units_unioned') }}
),

matched as (
    select
        figures.* exclude (period_type, period_label, period_start, period_end),
        indicators.aggregation,
        indicators.frequency as period_type,
        case when indicators.frequency = 'school_year'
            then (year(figures.period_end) - 1) || '-' || year(figures.period_end)
            else figures.period_label end as period_label,
        case when indicators.frequency = 'school_year'
            then make_date(year(figures.period_end) - 1, 9, 1)
            else figures.period_start end as period_start,
        case when indicators.frequency = 'school_year'
            then make_date(year(figures.period_end), 5, 31)
            else figures.period_end end as period_end
    from figures
    inner join indicators
        on indicators.indicator_code = figures.indicator_code
        and (indicators.frequency = figures.period_type
            or (indicators.frequency = 'school_year' and figures.period_type = 'year'))
    inner join units
        on units.admin_unit_code = figures.admin_unit_code
        and units.generation = case when figures.period_end < {{ reform }}
            then 'before_2025_07' else 'from_2025_07' end
)

select * from matched
