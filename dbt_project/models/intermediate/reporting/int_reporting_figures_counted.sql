-- The figures that count, one row per indicator × area × period, from both channels: over the
-- API the figures of each report's newest approved version (as the newest load holding that
-- version gave them), from Excel the rows of each report's newest file. Only indicators of
-- seeds/indicators.csv with source = reporting, reported at the indicator's own frequency
-- (a school-year indicator comes in a yearly report: year Y is school year (Y-1)-Y). Area codes
-- that are not units of the period's generation (by the period's end) are left out, like
-- unknown indicator codes: they are kept in int_reporting_figures_unplaced (dq).
{%- set reform = "date '" ~ var('admin_reform_date') ~ "'" %}

with figures as (
    select * from {{ ref('int_reporting_figures_received') }}
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
        figures.* except (period_type, period_label, period_start, period_end),
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
