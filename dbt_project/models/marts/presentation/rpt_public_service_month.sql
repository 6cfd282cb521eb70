-- Dossiers by agency × admin unit × month (agg_public_service_month) with the names a person
-- reads: the agency's name and the unit's name, level and generation (today's unit or an
-- old one, in force in that month).
select
    a.*,
    coalesce(g.name_vi, a.agency_code) as agency_name,
    u.admin_unit_key,
    coalesce(u.name_vi, a.admin_unit_code) as admin_unit_name,
    u.level as admin_level,
    coalesce(u.valid_to is null, false) as is_current_unit
from {{ ref('agg_public_service_month') }} as a
left join {{ ref('dim_agency') }} as g on g.agency_code = a.agency_code
left join {{ ref('dim_admin_unit') }} as u
    on u.admin_unit_code = a.admin_unit_code
    and (u.valid_from is null or u.valid_from <= a.month_start)
    and (u.valid_to is null or a.month_start < u.valid_to)
