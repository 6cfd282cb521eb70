-- Administrative units of both generations (before / from 2025-07-01), every level.
-- valid_from is inclusive (null: before the data's horizon), valid_to exclusive (null: in force).
select
    admin_unit_key,
    admin_unit_code,
    name_vi,
    unit_type,
    level,
    parent_code,
    parent_key,
    province_code,
    successor_province_code,
    generation,
    valid_from,
    valid_to
from {{ ref('int_admin_units_unioned') }}
