-- Every record that was not loaded, from the lake's _meta/quarantine/<source>__<dataset>/
-- <load_id>.parquet (one file per load, replaced when the load is re-run) and, in a
-- many-province lake, each province's (province=<code>/_meta/quarantine/...). The folder
-- names the dataset; an empty or missing folder gives an empty, typed table.
{%- set lake = lake_root() %}
{%- set patterns = [] %}
{%- for pattern in [lake ~ "/_meta/quarantine/*/*.parquet", lake ~ "/province=*/_meta/quarantine/*/*.parquet"] %}
    {%- if lake_file_count(pattern) > 0 %}{% do patterns.append(pattern) %}{% endif %}
{%- endfor %}

with source as (
    {% if patterns -%}
    select * from {{ lake_parquet_with_filename(patterns) }}
    {%- else -%}
    select
        null::{{ dbt.type_string() }} as load_id, null::{{ dbt.type_string() }} as dataset, null::{{ dbt.type_string() }} as reason,
        null::{{ dbt.type_string() }} as raw_location, null::{{ dbt.type_string() }} as record,
        null::timestamp as quarantined_at, null::{{ dbt.type_string() }} as filename
    where false
    {%- endif %}
),

located as (
    select
        *,
        regexp_extract(filename, '([^/]+)__([^/]+)/[^/]+\.parquet$', 1) as folder_source,
        regexp_extract(filename, '([^/]+)__([^/]+)/[^/]+\.parquet$', 2) as folder_dataset,
        nullif(regexp_extract(filename, '/province=([^/]+)/_meta/quarantine/', 1), '') as province
    from source
)

select
    -- ids
    province::{{ dbt.type_string() }} as province,
    (folder_source || '.' || coalesce(nullif(dataset, ''), folder_dataset))::{{ dbt.type_string() }} as dataset,
    load_id::{{ dbt.type_string() }} as load_id,
    folder_source::{{ dbt.type_string() }} as source,
    -- why and where
    reason::{{ dbt.type_string() }} as reason,
    raw_location::{{ dbt.type_string() }} as raw_location,
    record::{{ dbt.type_string() }} as record,
    -- timestamps (naive local time)
    quarantined_at::timestamp as quarantined_at
from located
