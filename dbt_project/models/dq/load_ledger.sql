-- Every ingestion load attempt, one ledger file each (ingest/common/ledger.py): the one
-- province's (<lake>/_meta/load_ledger, province null) and, in a many-province lake, each
-- province's own (<lake>/province=<code>/_meta/load_ledger). An empty or missing _meta
-- folder gives an empty, typed table instead of a read error. `data_until` (how far a load's
-- data reach) came later: ledger files written before it read it as null, and a null of a load
-- that brought rows reads as its window's end, which is what those files meant by it.
{%- set lake = lake_root() %}
{%- set pattern = lake ~ "/_meta/load_ledger/*.parquet" %}
{%- set by_province = lake ~ "/province=*/_meta/load_ledger/*.parquet" %}
{%- set found = lake_file_count(pattern) > 0 %}
{%- set found_by_province = lake_file_count(by_province) > 0 %}

{%- set columns = "load_id, source, dataset, window_start, window_end, started_at, finished_at, "
    ~ "status, rows_in, rows_loaded, rows_quarantined, raw_location, message" %}
{%- set one = lake_parquet(pattern) %}
{%- set many = lake_parquet_by_province(by_province) %}
{%- set no_data_until = "null::timestamp as data_until" %}

with source as (
    {% if found -%}
    select
        {{ columns }},
        {{ "data_until" if "data_until" in lake_columns(one) else no_data_until }},
        null::{{ dbt.type_string() }} as province
    from {{ one }}
    {%- endif %}
    {%- if found and found_by_province %}
    union all
    {%- endif %}
    {%- if found_by_province %}
    select
        {{ columns }},
        {{ "data_until" if "data_until" in lake_columns(many) else no_data_until }},
        province
    from {{ many }}
    {%- endif %}
    {%- if not (found or found_by_province) -%}
    select
        null::{{ dbt.type_string() }} as load_id, null::{{ dbt.type_string() }} as source, null::{{ dbt.type_string() }} as dataset,
        null::timestamp as window_start, null::timestamp as window_end,
        null::timestamp as started_at, null::timestamp as finished_at,
        null::{{ dbt.type_string() }} as status, null::bigint as rows_in, null::bigint as rows_loaded,
        null::bigint as rows_quarantined, null::{{ dbt.type_string() }} as raw_location,
        null::{{ dbt.type_string() }} as message, null::timestamp as data_until,
        null::{{ dbt.type_string() }} as province
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
    finished_at::timestamp as finished_at,
    -- how far its data reach (ingest/common/ledger.py)
    coalesce(
        data_until, case when rows_loaded > 0 then window_end end
    )::timestamp as data_until
from source
