-- The current state of every dossier: its record with the greatest updated_at, with the
-- dossier rules applied (resolved, on time, closed_at, ...). Incremental: a run reads only
-- records updated since what the table holds, plus every record of loads extracted since
-- (a re-run of an older window), and rewrites only dossiers whose state moved forward.
{{ config(
    materialized='incremental',
    unique_key='dossier_id',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns'
) }}
{#- The raw source is read only for the watermark query (its _extracted_at filter is pushed
    into the Parquet scan, which the staging view's dedup window would prevent). -#}
{%- set lower_bound = changed_records_lower_bound(
    source('dichvucong', 'ho_so'), 'NgayCapNhat', '_extracted_at')
    if is_incremental() and lake_has_files('dichvucong', 'ho_so') else none %}

with records as (
    select * from {{ ref('stg_dichvucong__ho_so') }}
    {%- if lower_bound is not none %}
    where updated_at >= {{ lower_bound }}
    {%- endif %}
),

latest as (
    -- staging is unique on (dossier_id, updated_at), so this order is total
    select * from records
    qualify row_number() over (partition by dossier_id order by updated_at desc) = 1
),

changed as (
    select latest.* from latest
    {%- if is_incremental() %}
    left join {{ this }} as held on held.dossier_id = latest.dossier_id
    where held.dossier_id is null
        or latest.updated_at > held.updated_at
        or (latest.updated_at = held.updated_at and latest.extracted_at > held.extracted_at)
    {%- endif %}
)

select
    * exclude (is_paid_online, is_digitised),
    resolved_at is not null as is_resolved,
    coalesce(resolved_at <= due_at, false) as is_on_time,
    coalesce(channel = 'TRUC_TUYEN', false) as is_online,
    coalesce(is_paid_online, false) as is_paid_online,
    coalesce(is_digitised, false) as is_digitised,
    coalesce(fee_vnd, 0) > 0 as has_fee,
    status = 'RUT_HO_SO' as is_withdrawn,
    coalesce(resolved_at, case when status = 'RUT_HO_SO' then updated_at end) as closed_at,
    {{ run_started_at_local() }} as processed_at
from changed
