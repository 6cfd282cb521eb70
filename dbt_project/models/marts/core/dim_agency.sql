-- Agencies that report or handle dossiers: every code seen in the dossiers, the reports (both
-- channels, as fct_report_submission already holds them: no second read of the lake) and the
-- indicator catalog (owners). Names come from the agency catalog (seed agencies); a
-- people's committee (UBND_H_<district code>, UBND_X_<commune code>) is named after its unit
-- (the newest generation holding the code). level: the level at which the agency handles most
-- of its dossiers (province for the catalog's departments that handle none).
with dossiers as (
    select agency_code, implementation_level, received_at from {{ ref('fct_dossier') }}
),

handled as (
    select
        agency_code,
        case mode(implementation_level)
            when 'TINH' then 'province'
            when 'HUYEN' then 'district'
            when 'XA' then 'commune'
        end as level,
        count(*) as dossiers,
        min(received_at) as first_received_at,
        max(received_at) as last_received_at
    from dossiers
    group by agency_code
),

codes as (
    select agency_code from handled
    union
    select reporting_unit_code from {{ ref('fct_report_submission') }}
    union
    select owner_agency from {{ ref('indicators') }}
),

committees as (
    select
        'UBND_' || case level when 'district' then 'H_' else 'X_' end || admin_unit_code
            as agency_code,
        'Ủy ban nhân dân ' || lower(unit_type) || substr(name_vi, length(unit_type) + 1)
            as name_vi,
        'People''s Committee of ' || name_vi as name_en
    from {{ ref('dim_admin_unit') }}
    where level in ('district', 'commune') and unit_type is not null
    qualify row_number() over (partition by agency_code order by generation desc) = 1
)

select
    codes.agency_code,
    coalesce(catalog.name_vi, committees.name_vi) as name_vi,
    coalesce(catalog.name_en, committees.name_en) as name_en,
    coalesce(handled.level, case when committees.agency_code is null then 'province' end)
        as level,
    coalesce(handled.dossiers, 0) as dossiers,
    handled.first_received_at,
    handled.last_received_at
from codes
left join handled using (agency_code)
left join {{ ref('agencies') }} as catalog using (agency_code)
left join committees using (agency_code)
where codes.agency_code is not null
