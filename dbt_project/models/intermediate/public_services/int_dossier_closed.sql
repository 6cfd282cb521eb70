-- When each dossier was first closed (resolved or withdrawn): the least update time of its
-- closed records. A record updated after it is a revision (int_dossier_versions). Incremental:
-- a run reads only the loads extracted after the newest extraction the table holds
-- (loads_to_read) and writes only the dossiers whose first close is new or earlier. It runs
-- after int_dossier_versions, which reads the same loads and this table as it stood before.
-- Whole when a load came again without a record it had (dossier_loads_to_read).
-- depends_on: {{ ref('int_dossier_versions') }}
{#- On Spark a table rebuilt whole, as fct_dossier. -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    unique_key='dossier_id',
    incremental_strategy='delete+insert',
    pre_hook="{{ delete_when_read_whole(dossier_loads_to_read()) }}"
) }}
{%- set loads = dossier_loads_to_read() %}

{#- The records read, written out where each reads them: a CTE read twice DuckDB
    materialises whole (see fct_dossier). -#}
{%- set records -%}
    (select dossier_id, updated_at, resolved_at, status, extracted_at
    from {{ ref('base_dichvucong__ho_so') }}
    {%- if loads is not none %}
    where {{ "load_id in (" ~ loads ~ ")" if loads else "false" }}
    {%- endif %})
{%- endset %}

with closed as (
    select dossier_id, min(updated_at) as closed_at
    from {{ records }} as records
    where {{ dossier_is_closed() }}
    group by dossier_id
)

select
    closed.dossier_id,
    {%- if loads is not none %}
    least(closed.closed_at, coalesce(held.closed_at, closed.closed_at)) as closed_at,
    {%- else %}
    closed.closed_at,
    {%- endif %}
    -- the newest extraction read by the run that wrote the row (the next run's watermark)
    (select max(extracted_at) from {{ records }} as records) as extracted_at,
    {{ run_started_at_local() }} as processed_at
from closed
{%- if loads is not none %}
left join {{ this }} as held on held.dossier_id = closed.dossier_id
where held.dossier_id is null or closed.closed_at < held.closed_at
{%- endif %}
