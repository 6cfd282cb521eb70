-- Every ingestion load attempt, one ledger file each (ingest/common/ledger.py): the one
-- province's (<lake>/_meta/load_ledger, province null) and, in a many-province lake, each
-- province's own (<lake>/province=<code>/_meta/load_ledger). An empty or missing _meta
-- folder gives an empty, typed table instead of a read error.
{%- set lake = lake_root() %}
{%- set pattern = lake ~ "/_meta/load_ledger/*.parquet" %}
{%- set by_province = lake ~ "/province=*/_meta/load_ledger/*.parquet" %}
{%- set found = lake_file_count(pattern) > 0 %}
{%- set found_by_province = lake_file_count(by_province) > 0 %}

{%- set columns = "load_id, source, dataset, window_start, window_end, started_at, finished_at, "
    ~ "status, rows_in, rows_loaded, rows_quarantined, raw_location, message" %}

with source as (
    {% if found -%}
    select {{ columns }}, null::{{ dbt.type_string() }} as province from {{ lake_parquet(pattern) }}
    {%- endif %}
    {%- if found and found_by_province %}
    union all
    {%- endif %}
    {%- if found_by_province %}
    select {{ columns }}, province from {{ lake_parquet_by_province(by_province) }}
    {%- endif %}
    {%- if not (found or found_by_province) -%}
    select
        null::{{ dbt.type_string() }} as load_id, null::{{ dbt.type_string() }} as source, null::{{ dbt.type_string() }} as dataset,
        null::timestamp as window_start, null::timestamp as window_end,
        null::timestamp as started_at, null::timestamp as finished_at,
        null::{{ dbt.type_string() }} as status, null::bigint as rows_in, null::bigint as rows_loaded,
        null::bigint as rows_quarantined, null::{{ dbt.type_string() }} as raw_location,
        null::{{ dbt.type_string() }} as message, null::{{ dbt.type_string() }} as province
    where false
    {%- endif %}
)

select
    -- ids
    province::{{ dbt.type_string() }} as province,
    load_id::{{ dbt.type_string() }} as load_id,
    source::{{ dbt.type_string() }} as source,
    dataset::{{ dbt.type_string() }} as dataset,
    -- outcome
    status::{{ dbt.type_string() }} as status,
    rows_in::bigint as rows_in,
    rows_loaded::bigint as rows_loaded,
    rows_quarantined::bigint as rows_quarantined,
    raw_location::{{ dbt.type_string() }} as raw_location,
    message::{{ dbt.type_string() }} as message,
    -- timestamps (naive local time)
    window_start::timestamp as window_start,
    window_end::timestamp as window_end,
    started_at::timestamp as started_at,
    finished_at::timestamp as finished_at
from source
