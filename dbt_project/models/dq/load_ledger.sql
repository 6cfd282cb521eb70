-- Every ingestion load attempt, one ledger file each (ingest/common/ledger.py). An empty or
-- missing _meta folder gives an empty, typed table instead of a read error.
{%- set lake = var("lake_root", env_var("IOC_LAKE", env_var("IOC_WAREHOUSE", "warehouse") ~ "/lake")) %}
{%- set pattern = lake ~ "/_meta/load_ledger/*.parquet" %}
{%- set found = execute and run_query("select count(*) from glob('" ~ pattern ~ "')").columns[0].values()[0] > 0 %}

with source as (
    {% if found -%}
    select * from read_parquet('{{ pattern }}', union_by_name = true)
    {%- else -%}
    select
        null::varchar as load_id, null::varchar as source, null::varchar as dataset,
        null::timestamp as window_start, null::timestamp as window_end,
        null::timestamp as started_at, null::timestamp as finished_at,
        null::varchar as status, null::bigint as rows_in, null::bigint as rows_loaded,
        null::bigint as rows_quarantined, null::varchar as raw_location,
        null::varchar as message
    where false
    {%- endif %}
)

select
    -- ids
    load_id::varchar as load_id,
    source::varchar as source,
    dataset::varchar as dataset,
    -- outcome
    status::varchar as status,
    rows_in::bigint as rows_in,
    rows_loaded::bigint as rows_loaded,
    rows_quarantined::bigint as rows_quarantined,
    raw_location::varchar as raw_location,
    message::varchar as message,
    -- timestamps (naive local time)
    window_start::timestamp as window_start,
    window_end::timestamp as window_end,
    started_at::timestamp as started_at,
    finished_at::timestamp as finished_at
from source
