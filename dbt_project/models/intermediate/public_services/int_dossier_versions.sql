-- Dossier records that came after their first: what dq_revision lists for dichvucong.ho_so
-- (macros/dossier_versions.sql). A *revision* is a record updated after the dossier was
-- first closed (resolved or withdrawn: fct_dossier.first_closed_at); a *conflict* a second,
-- different copy of one update in one load (named `#record=R` in source_ref by the
-- connector).
-- Incremental: a run reads the loads extracted after int_dossier_record_keys' newest
-- extraction (the loads it has not read yet: that model runs after this one, so this one sees
-- it as it stood before the run) and, of the other loads, only the records of dossiers whose
-- first close the new loads hold (new, or earlier than the one held), updated after it.
-- Rows are replaced by their record's key. Whole when a load came again without a record it
-- had (dossier_loads_to_read): then only the dossiers updated after their first close, told
-- from fct_dossier, are looked up in the records.
{#- On Spark a table rebuilt whole, as fct_dossier. -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    unique_key=['load_id', 'dossier_id', 'updated_at', 'source_ref'],
    incremental_strategy='delete+insert',
    pre_hook="{{ delete_when_read_whole(dossier_loads_to_read(none, 'int_dossier_record_keys')) }}"
) }}
{%- set closed_condition = dossier_is_closed() %}
{%- set loads = dossier_loads_to_read(none, 'int_dossier_record_keys') %}
{%- set columns = "dossier_id, updated_at, received_at, load_id, source_ref" %}

{#- The records of the loads read, written out where each reads them: a CTE read twice
    DuckDB materialises whole (see fct_dossier). -#}
{%- set new_records -%}
    (select {{ columns }}, resolved_at, status from {{ ref('base_dichvucong__ho_so') }}
    {%- if loads is not none %}
    where {{ "load_id in (" ~ loads ~ ")" if loads else "false" }}
    {%- endif %})
{%- endset %}

with
{%- if loads is none %}

records as (
    select {{ columns }} from {{ new_records }} as new_records
),

closed as (
    -- the first close of the dossiers updated after it (fct_dossier's updated_at is the
    -- newest record's): only those can have a revision, so the join below holds a few
    -- dossiers, not every closed one
    select dossier_id, first_closed_at as closed_at
    from {{ ref('fct_dossier') }}
    where updated_at > first_closed_at
)
{%- else %}

new_closes as (
    select dossier_id, min(updated_at) as closed_at
    from {{ new_records }} as new_records
    where {{ closed_condition }}
    group by dossier_id
),
{#- The earliest close the new loads bring: no record of another load updated before it can
    become a revision (a literal, so the scan skips row groups by their statistics). -#}
{%- set earliest = none %}
{%- if loads and execute %}
{%- set earliest = run_query("select cast(min(updated_at) as " ~ dbt.type_string() ~ ") from "
    ~ ref('base_dichvucong__ho_so') ~ " where load_id in (" ~ loads ~ ") and "
    ~ closed_condition).columns[0].values()[0] %}
{%- endif %}

closed as (
    -- the first close of the dossiers the new loads touch, as fct_dossier holds it after this
    -- run (it ran first: the least of the held one and the new loads'); moved: the new loads
    -- hold it (new, earlier than the held one, or the same again: its later records are read
    -- again, and replace themselves). One lookup of their ids in fct_dossier (a semi-join).
    select
        dossiers.dossier_id,
        dossiers.first_closed_at as closed_at,
        coalesce(new_closes.closed_at = dossiers.first_closed_at, false) as moved
    from {{ ref('fct_dossier') }} as dossiers
    left join new_closes on new_closes.dossier_id = dossiers.dossier_id
    where dossiers.dossier_id in (select dossier_id from {{ new_records }} as new_records)
        and dossiers.first_closed_at is not null
),

records as (
    select {{ columns }} from {{ new_records }} as new_records
    {%- if earliest is not none %}
    union all
    -- the other loads' records of the dossiers whose first close the new loads hold
    select {{ columns }} from {{ ref('base_dichvucong__ho_so') }}
    where load_id not in ({{ loads }})
        and updated_at > timestamp '{{ earliest }}'
        and dossier_id in (select dossier_id from closed where moved)
    {%- endif %}
)
{%- endif %}

select
    records.dossier_id,
    records.updated_at,
    records.received_at,
    records.load_id,
    records.source_ref,
    case when contains(records.source_ref, '#record=') then 'conflict' else 'revision' end
        as kind,
    {{ run_started_at_local() }} as processed_at
from records
left join closed on closed.dossier_id = records.dossier_id
where contains(records.source_ref, '#record=')
    or records.updated_at > closed.closed_at
