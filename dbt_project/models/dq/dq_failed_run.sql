-- Scheduled tasks that failed for good (after their retries), one file per task instance
-- written by the DAGs' failure callback (dags/policy.py, ioc/run_records.py). None yet gives
-- an empty, typed table.
{%- set lake = lake_root() %}
{%- set pattern = lake ~ "/_meta/failed_runs/*.parquet" %}
{%- set found = lake_file_count(pattern) > 0 %}

with source as (
    {% if found -%}
    select * from {{ lake_parquet(pattern) }}
    {%- else -%}
    select
        null::{{ dbt.type_string() }} as dag_id, null::{{ dbt.type_string() }} as run_id, null::{{ dbt.type_string() }} as task_id,
        null::bigint as map_index, null::bigint as try_number,
        null::timestamp as logical_date, null::timestamp as failed_at, null::{{ dbt.type_string() }} as error
    where false
    {%- endif %}
)

select
    -- ids
    dag_id::{{ dbt.type_string() }} as dag_id,
    run_id::{{ dbt.type_string() }} as run_id,
    task_id::{{ dbt.type_string() }} as task_id,
    map_index::bigint as map_index,
    -- outcome
    try_number::bigint as try_number,
    error::{{ dbt.type_string() }} as error,
    'Lần chạy ' || dag_id || ' thất bại ở bước ' || task_id
        || coalesce(' (kỳ ' || {{ format_date("logical_date", "%d/%m/%Y") }} || ')', '')
        || ' sau ' || try_number::{{ dbt.type_string() }} || ' lần thử.' as message,
    -- timestamps (naive local time)
    logical_date::timestamp as logical_date,
    failed_at::timestamp as failed_at
from source
