-- Nothing vanishes in a join: per school year, the schools counted in GD_SO_TRUONG plus the
-- unplaced schools are every standing school. One row per school year that lost some.
{{ config(meta={'dimension': 'du'}) }}
with standing as (
    select school_year, count(*) as schools
    from {{ ref('int_school_figures_latest') }}
    group by school_year
),

counted as (
    select period_label as school_year, sum(actual_value)::bigint as schools
    from {{ ref('int_education_indicators_by_unit_period') }}
    where indicator_code = 'GD_SO_TRUONG' and admin_level = 'province'
    group by period_label
),

unplaced as (
    select period_label as school_year, count(*) as schools
    from {{ ref('int_education_records_unplaced') }}
    where dataset = 'giaoduc.truong'
    group by period_label
)

select standing.school_year, standing.schools, counted.schools as counted,
    unplaced.schools as unplaced
from standing
left join counted using (school_year)
left join unplaced using (school_year)
where standing.schools <> coalesce(counted.schools, 0) + coalesce(unplaced.schools, 0)
