-- Dossier records that came after their first: what dq_revision lists for dichvucong.ho_so
-- (macros/dossier_versions.sql). A *revision* is a record updated after the dossier was
-- first closed (resolved or withdrawn); a *conflict* a second, different copy of one update
-- in one load (named `#record=R` in source_ref by the connector).
-- Incremental: a run reads the loads extracted after int_dossier_closed's newest extraction
-- (the loads it has not read yet; it runs after this model, so this model sees it as it stood
-- before the run) and, of the other loads, only the records of dossiers whose first close the
-- new loads made earlier (or new), updated after it. Rows are replaced by their record's key.
-- Whole when a load came again without a record it had (dossier_loads_to_read).
{#- On Spark a table rebuilt whole, as fct_dossier. -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    unique_key=['load_id', 'dossier_id', 'updated_at', 'source_ref'],
    incremental_strategy='delete+insert',
    pre_hook="{{ delete_when_read_whole(dossier_loads_to_read(none, 'int_dossier_closed')) }}"
) }}
{%- set closed_condition = dossier_is_closed() %}
{%- set loads = dossier_loads_to_read(none, 'int_dossier_closed') %}
{%- set held = adapter.get_relation(this.database, this.schema, 'int_dossier_closed')
    if loads is not none else none %}
{%- set columns = "dossier_id, updated_at, received_at, resolved_at, status, load_id, "
    ~ "source_ref, extracted_at" %}

{#- The records of the loads read, written out where each reads them: a CTE read twice
    DuckDB materialises whole (see fct_dossier). -#}
{%- set new_records -%}
    (select {{ columns }} from {{ ref('base_dichvucong__ho_so') }}
    {%- if loads is not none %}
    where {{ "load_id in (" ~ loads ~ ")" if loads else "false" }}
    {%- endif %})
{%- endset %}

with
{%- if loads is none %}

records as (
    select * from {{ new_records }} as new_records
),

closed as (
    -- the first close of the dossiers updated after it: only those can have a revision, so
    -- the join below holds a few dossiers, not every closed one
    select dossier_id, closed_at
    from (
        select
            dossier_id,
            min(case when {{ closed_condition }} then updated_at end) as closed_at,
            max(updated_at) as last_updated_at
        from {{ new_records }} as new_records
        group by dossier_id
    ) as spans
    where last_updated_at > closed_at
)
{%- else %}

new_closes as (
    select dossier_id, min(updated_at) as closed_at
    from {{ new_records }} as new_records
    where {{ closed_condition }}
    group by dossier_id
),

held_closes as (
    -- the held first close of the dossiers the new loads touch: one lookup of their ids in
    -- the held table (a semi-join), not a join of every held close
    select dossier_id, closed_at from {{ held }}
    where dossier_id in (select dossier_id from {{ new_records }} as new_records)
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
    -- the first close of the dossiers the new loads touch, after this run; moved: new, or
    -- earlier than the held one
    select
        coalesce(new_closes.dossier_id, held_closes.dossier_id) as dossier_id,
        least(coalesce(new_closes.closed_at, held_closes.closed_at),
            coalesce(held_closes.closed_at, new_closes.closed_at)) as closed_at,
        new_closes.dossier_id is not null and (held_closes.dossier_id is null
            or new_closes.closed_at < held_closes.closed_at) as moved
    from new_closes
    full outer join held_closes on held_closes.dossier_id = new_closes.dossier_id
),

records as (
    select * from {{ new_records }} as new_records
    {%- if earliest is not none %}
    union all
    -- the other loads' records of the dossiers whose first close moved earlier
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
