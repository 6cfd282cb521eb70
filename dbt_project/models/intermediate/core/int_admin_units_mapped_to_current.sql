-- Every unit that can report (either generation) → the unit of today it is read against, from
-- the 2025 crosswalk (../shared/data/admin_units): old provinces to their merged province (all
-- province merges are whole), old communes to their new commune or ward, the island districts
-- that had no communes to the special zone (đặc khu) that replaced them, and today's units to
-- themselves. An old commune split across several new ones appears once per successor with
-- is_partial_split: its figures cannot be moved to one successor without an allocation rule,
-- so they are not moved, and the successor's figure is flagged. Other old districts have no
-- successor (the district level was abolished): their figures stay readable as reported.
{%- set before = "'before_2025_07'" %}

with provinces as (
    select distinct
        old_province_code || '@' || {{ before }} as admin_unit_key,
        new_province_code as current_admin_unit_code,
        false as is_partial_split
    from {{ ref('province_crosswalk_2025') }}
),

communes as (
    -- old_commune_code also holds the five island districts (e.g. 318 Huyện Bạch Long Vĩ)
    select distinct
        old_commune_code || '@' || {{ before }} as admin_unit_key,
        new_commune_code as current_admin_unit_code,
        merge_type = 'partial' as is_partial_split
    from {{ ref('commune_crosswalk_2025') }}
),

today as (
    select admin_unit_key, admin_unit_code as current_admin_unit_code, false as is_partial_split
    from {{ ref('int_admin_units_unioned') }}
    where generation = 'from_2025_07'
)

select * from provinces
union all
select * from communes
union all
select * from today
