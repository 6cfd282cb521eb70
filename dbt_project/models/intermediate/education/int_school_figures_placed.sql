-- Every school's standing figures of a school year, placed in a province of the generation the
-- school year belongs to: a figure belongs to its period, never to when it was sent. A school
-- year ending (31 May) before the 2025-07-01 reform goes to the old provinces, later ones to
-- today's. A row sent after the reform for an old school year carries today's commune code:
-- its old province is the school's own commune before the reform (from its rows sent then),
-- else the code's old province, else the one old province all predecessors of the new commune
-- lay in (commune crosswalk). province_code is null when nothing places the row: it is then
-- in int_education_records_unplaced, never dropped silently. unit_key: the school's own unit
-- ('<code>@<generation>') in the same generation: the code as sent, or for a late correction
-- the school's commune before the reform (else the code if it was a unit then); null when
-- neither is a unit of that generation (the school then counts in its province only).
{%- set reform = "timestamp '" ~ var('admin_reform_date') ~ "'" %}

with schools as (
    select *, right(school_year, 4)::integer as end_year
    from {{ ref('int_school_figures_latest') }}
),

units as (
    select * from {{ ref('int_admin_units_mapped_to_province') }}
),

old_homes as (
    select sent.school_id, {{ arg_max("sent.admin_unit_code", "sent.updated_at") }} as old_unit_code
    from {{ ref('stg_giaoduc__truong') }} as sent
    inner join units on units.admin_unit_code = sent.admin_unit_code
    where sent.updated_at < {{ reform }} and units.province_code_before_reform is not null
    group by sent.school_id
),

new_to_old as (
    select crosswalk.new_commune_code as admin_unit_code, min(old.province_code) as province_code
    from {{ ref('commune_crosswalk_2025') }} as crosswalk
    inner join {{ ref('units_before_2025_07_01') }} as old
        on old.commune_code = crosswalk.old_commune_code
    group by crosswalk.new_commune_code
    having count(distinct old.province_code) = 1
),

placed as (
    select
        schools.*,
        make_date(schools.end_year, 5, 31) < {{ reform }} as is_before_reform,
        case when make_date(schools.end_year, 5, 31) < {{ reform }}
            then case when schools.updated_at < {{ reform }}
                then units.province_code_before_reform
                else coalesce(
                    homes.province_code_before_reform,
                    units.province_code_before_reform,
                    new_to_old.province_code
                )
            end
            else units.province_code_after_reform
        end as province_code,
        coalesce(units.province_code_after_reform, homes.province_code_after_reform)
            as province_code_today,
        case when make_date(schools.end_year, 5, 31) < {{ reform }}
            then case when schools.updated_at < {{ reform }}
                then case when units.exists_before_reform then schools.admin_unit_code end
                else coalesce(
                    old_homes.old_unit_code,
                    case when units.exists_before_reform then schools.admin_unit_code end
                )
            end || '@before_2025_07'
            else case when units.exists_after_reform then schools.admin_unit_code end
                || '@from_2025_07'
        end as unit_key
    from schools
    left join units on units.admin_unit_code = schools.admin_unit_code
    left join old_homes using (school_id)
    left join units as homes on homes.admin_unit_code = old_homes.old_unit_code
    left join new_to_old on new_to_old.admin_unit_code = schools.admin_unit_code
)

select
    *,
    case when is_before_reform then '@before_2025_07' else '@from_2025_07' end as generation
from placed
