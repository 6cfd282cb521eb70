-- Agencies that handle dossiers, as seen in the dossiers themselves. The portal sends codes
-- only: name_vi stays null until an agency catalog is loaded. level: the level at which the
-- agency handles most of its dossiers.
with dossiers as (
    select agency_code, implementation_level, received_at from {{ ref('fct_dossier') }}
)

select
    agency_code,
    null::varchar as name_vi,
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
