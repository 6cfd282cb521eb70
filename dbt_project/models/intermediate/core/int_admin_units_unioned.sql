-- Both generations of administrative units (before / from the 2025-07-01 reform) at every
-- level, one row per (code, generation). Codes repeat across generations (province 56,
-- reused commune codes), so the key is admin_unit_key = '<code>@<generation>'.
{%- set reform = "date '" ~ var('admin_reform_date') ~ "'" %}

with before_reform as (
    select * from {{ ref('units_before_2025_07_01') }}
),

after_reform as (
    select * from {{ ref('units_after_2025_07_01') }}
),

province_successors as (
    select old_province_code, new_province_code from {{ ref('province_crosswalk_2025') }}
),

island_districts as (
    -- the crosswalk's old codes that are districts with no communes (e.g. 318 Huyện Bạch Long
    -- Vĩ -> 11948 Đặc khu Bạch Long Vĩ): units_before lists units by commune and so misses
    -- them. Their old province: among those merged into the special zone's province, the one
    -- holding the nearest lower district code (GSO numbers districts by province).
    select
        crosswalk.old_commune_code as code,
        crosswalk.old_commune_name as name_vi,
        {{ arg_max("before_reform.province_code", "before_reform.district_code") }} as province_code
    from {{ ref('commune_crosswalk_2025') }} as crosswalk
    inner join province_successors
        on province_successors.new_province_code = crosswalk.new_province_code
    inner join before_reform
        on before_reform.province_code = province_successors.old_province_code
        and before_reform.district_code < crosswalk.old_commune_code
    where crosswalk.old_commune_code not in (select commune_code from before_reform)
    group by crosswalk.old_commune_code, crosswalk.old_commune_name
),

old_units as (
    select distinct province_code as code, province_type || ' ' || province_name as name_vi,
        province_type as unit_type, 'province' as level, null as parent_code, province_code
    from before_reform
    union all
    select distinct district_code, district_type || ' ' || district_name, district_type,
        'district', province_code, province_code
    from before_reform
    union all
    select commune_code, commune_type || ' ' || commune_name, commune_type,
        'commune', district_code, province_code
    from before_reform
    union all
    select code, name_vi, 'Huyện', 'district', province_code, province_code
    from island_districts
),

new_units as (
    select distinct province_code as code, province_name as name_vi,
        'province' as level, null as parent_code, province_code
    from after_reform
    union all
    select commune_code, commune_name, 'commune', province_code, province_code
    from after_reform
),

unioned as (
    select
        code, name_vi, unit_type, level, parent_code, province_code,
        'before_2025_07' as generation, null::date as valid_from, {{ reform }} as valid_to
    from old_units
    union all
    select
        code, name_vi,
        regexp_extract(name_vi, '^(Thành phố|Tỉnh|Phường|Xã|Đặc khu)') as unit_type,
        level, parent_code, province_code,
        'from_2025_07', {{ reform }}, null::date
    from new_units
)

select
    unioned.code || '@' || unioned.generation as admin_unit_key,
    unioned.code as admin_unit_code,
    unioned.name_vi,
    unioned.unit_type,
    unioned.level,
    unioned.parent_code,
    unioned.parent_code || '@' || unioned.generation as parent_key,
    unioned.province_code,
    coalesce(province_successors.new_province_code, unioned.province_code)
        as successor_province_code,
    unioned.generation,
    unioned.valid_from,
    unioned.valid_to
from unioned
left join province_successors
    on unioned.generation = 'before_2025_07'
    and province_successors.old_province_code = unioned.province_code
