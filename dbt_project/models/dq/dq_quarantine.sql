-- Every record that was not loaded, from the lake's _meta/quarantine/<source>__<dataset>/
-- <load_id>.parquet (one file per load, replaced when the load is re-run). The folder names
-- the dataset; an empty or missing folder gives an empty, typed table.
{%- set lake = var("lake_root", env_var("IOC_LAKE", env_var("IOC_WAREHOUSE", "warehouse") ~ "/lake")) %}
{%- set pattern = lake ~ "/_meta/quarantine/*/*.parquet" %}
{%- set found = execute and run_query("select count(*) from glob('" ~ pattern ~ "')").columns[0].values()[0] > 0 %}

with source as (
    {% if found -%}
    select * from read_parquet('{{ pattern }}', union_by_name = true, filename = true)
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
        regexp_extract(filename, '([^/]+)__([^/]+)/[^/]+\.parquet$', 2) as folder_dataset
    from source
)

select
    -- ids
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
