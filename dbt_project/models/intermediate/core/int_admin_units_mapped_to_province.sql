-- One row per unit code (either generation): the province it belongs to before the reform
-- and from the reform on. A figure of month m is attributed to
--   province_code_before_reform  if m < admin_reform_date, else  province_code_after_reform.
-- A code present in both generations always maps to the same post-reform province (checked
-- against the reference lists), so keying by code alone is safe.
with units as (
    select * from {{ ref('int_admin_units_unioned') }}
)

select
    admin_unit_code,
    bool_or(generation = 'before_2025_07') as exists_before_reform,
    bool_or(generation = 'from_2025_07') as exists_after_reform,
    max(province_code) filter (where generation = 'before_2025_07')
        as province_code_before_reform,
    coalesce(
        max(province_code) filter (where generation = 'from_2025_07'),
        max(successor_province_code)
    ) as province_code_after_reform
from units
group by admin_unit_code
