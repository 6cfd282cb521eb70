-- Unit codes as a spreadsheet leaves them when it takes a code for a number: without their
-- leading zeros (Hà Nội's province 01 saved as 1, Lạng Sơn's commune 06280 as 6280). One row
-- per unit whose code starts with a zero, by generation and level: a level's codes all have
-- one width (province 2, district 3, commune 5 digits), so a short code and its level name
-- one unit. Read where hand-made files name units and say their level (budget exports).
select
    regexp_replace(admin_unit_code, '^0+', '') as unpadded_code,
    generation,
    level,
    admin_unit_code
from {{ ref('int_admin_units_unioned') }}
where admin_unit_code like '0%'
