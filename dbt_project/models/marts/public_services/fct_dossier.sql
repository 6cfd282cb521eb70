-- One row per dossier in its current state; no personal data beyond the owner's keyed hash.
-- Incremental: takes the dossiers the current-state model rewrote since this table's last
-- run (processed_at), so a run costs what changed, not the whole history.
{#- On Spark a table rebuilt whole, as int_dossier_current_state: its Parquet tables cannot delete+insert (that needs Delta
    Lake, whose jars Spark fetches from Maven at start-up). -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    unique_key='dossier_id',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns'
) }}
{%- set reform = "date '" ~ var('admin_reform_date') ~ "'" %}
{%- set held = max_value_literal(this, 'processed_at') if is_incremental() else none %}

with dossiers as (
    select
        *,
        case when received_at < {{ reform }}
            then coalesce(admin_unit_code_before_reform, admin_unit_code)
            else admin_unit_code end as unit_at_receipt
    from {{ ref('int_dossier_current_state') }}
    {%- if held is not none %}
    where processed_at > {{ held }}
    {%- endif %}
),

units as (
    select * from {{ ref('int_admin_units_mapped_to_province') }}
)

select
    dossiers.dossier_id,
    dossiers.procedure_code,
    dossiers.procedure_name,
    dossiers.field_code,
    dossiers.field_name,
    dossiers.agency_code,
    dossiers.implementation_level,
    dossiers.admin_unit_code,
    -- the unit's generation is the one in force when the dossier was received (before the
    -- reform: the unit its last record before the reform named, however late corrected)
    dossiers.unit_at_receipt || case when dossiers.received_at < {{ reform }}
        then '@before_2025_07' else '@from_2025_07' end as admin_unit_key,
    case when dossiers.received_at < {{ reform }} then units.province_code_before_reform
        else units.province_code_after_reform end as province_code,
    dossiers.channel,
    dossiers.service_level,
    dossiers.status,
    dossiers.owner_hash,
    dossiers.fee_vnd,
    dossiers.satisfaction,
    dossiers.received_at,
    dossiers.due_at,
    dossiers.resolved_at,
    dossiers.returned_at,
    dossiers.closed_at,
    dossiers.is_resolved,
    dossiers.is_on_time,
    dossiers.is_online,
    dossiers.is_paid_online,
    dossiers.is_digitised,
    dossiers.has_fee,
    dossiers.is_withdrawn,
    dossiers.updated_at,
    dossiers.load_id,
    dossiers.extracted_at,
    dossiers.processed_at
from dossiers
left join units on units.admin_unit_code = dossiers.unit_at_receipt
