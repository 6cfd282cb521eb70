-- The closes of reporting periods, one file per period written by the closing DAGs
-- (ioc/run_records.py): a re-run replaces its period's file. No _meta/period_close folder
-- (no close yet) gives an empty, typed table.
{%- set lake = lake_root() %}
{%- set pattern = lake ~ "/_meta/period_close/*.parquet" %}
{%- set found = lake_file_count(pattern) > 0 %}

with source as (
    {% if found -%}
    select * from {{ lake_parquet(pattern) }}
    {%- else -%}
    select
        null::{{ dbt.type_string() }} as period_type, null::{{ dbt.type_string() }} as period_label,
        null::date as period_start, null::date as period_end, null::date as due_date,
        null::timestamp as closed_at, null::{{ dbt.type_string() }} as dag_id, null::{{ dbt.type_string() }} as run_id,
        null::timestamp as first_closed_at, null::{{ dbt.type_string() }} as first_run_type
    where false
    {%- endif %}
)

select
    -- ids
    period_type::{{ dbt.type_string() }} as period_type,
    period_label::{{ dbt.type_string() }} as period_label,
    -- period
    period_start::date as period_start,
    period_end::date as period_end,
    due_date::date as due_date,
    -- the run that closed it (local time)
    closed_at::timestamp as closed_at,
    dag_id::{{ dbt.type_string() }} as dag_id,
    run_id::{{ dbt.type_string() }} as run_id,
    -- the period's first close, kept by re-closes: when it really ran (local) and how
    -- (records written before these were kept: the run's time, as scheduled)
    coalesce(first_closed_at, closed_at)::timestamp as first_closed_at,
    coalesce(first_run_type, 'scheduled')::{{ dbt.type_string() }} as first_run_type
from source
