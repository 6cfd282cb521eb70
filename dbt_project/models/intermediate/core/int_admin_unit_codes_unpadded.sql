-- Unit codes as a spreadsheet leaves them when it takes a code for a number: without their
-- leading zeros (Lạng Sơn's commune 06280 saved as 6280, Hà Nội's 01 as 1). One row per
-- such short code and generation that is no unit's code itself and that exactly one unit's
-- code shortens to: the unit it can only be. A short code that several units' codes shorten
-- to (1: province 01, district 001, commune 00001) stays unplaced, for a steward to see.
with units as (
    select admin_unit_code, generation from {{ ref('int_admin_units_unioned') }}
),

unpadded as (
    select
        regexp_replace(admin_unit_code, '^0+', '') as unpadded_code,
        generation,
        admin_unit_code
    from units
    where admin_unit_code like '0%'
)

select
    unpadded.unpadded_code,
    unpadded.generation,
    min(unpadded.admin_unit_code) as admin_unit_code
from unpadded
left join units as known
    on known.admin_unit_code = unpadded.unpadded_code
    and known.generation = unpadded.generation
where known.admin_unit_code is null and unpadded.unpadded_code != ''
group by unpadded.unpadded_code, unpadded.generation
having count(*) = 1
