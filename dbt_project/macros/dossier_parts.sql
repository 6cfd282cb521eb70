{#- A dossier model that reads every dossier record (a full build, or an incremental run
    that reads every load) groups ~47 M dossiers at scale 10: more than DuckDB's memory_limit
    holds, so its aggregation and its join spill (tens of GB for the whole-width records of
    the join's probe side). It reads them in parts instead, each a slice of the dossiers (by
    a hash of the id) small enough to be grouped and joined in memory: the model's SQL
    selects part 0 and its post-hook inserts the others. Every part reads every load, but
    only its dossiers' records go past the scan. -#}

{% macro dossier_parts(loads) -%}
    {#- How many parts a run reads the records in: one for an incremental run that reads
        some loads (few records), a unit test (its given rows), or while parsing; else one per `dossier_records_per_part`
        records (var, else env IOC_DOSSIER_RECORDS_PER_PART, default 25 M: about 12 M dossiers' aggregate and join in ~2 GB),
        counted from the lake's Parquet footers. On Spark one: its shuffle partitions. -#}
    {%- if not execute or loads is not none or target.type == 'spark'
        or model.resource_type == 'unit_test' or not lake_has_files('dichvucong', 'ho_so') -%}
        {{ return(1) }}
    {%- endif -%}
    {%- set pattern = lake_files('dichvucong', 'ho_so') | replace("'", "''") -%}
    {%- set records = run_query("select coalesce(sum(num_rows), 0) from parquet_file_metadata('"
        ~ pattern ~ "')").columns[0].values()[0] -%}
    {%- set per_part = var('dossier_records_per_part', env_var('IOC_DOSSIER_RECORDS_PER_PART', 25000000)) | int -%}
    {{ return([1, ((records + per_part - 1) // per_part) | int] | max) }}
{%- endmacro %}

{% macro insert_dossier_parts(model_sql, updated_column=none, held_name=none) -%}
    {#- The post-hook: parts 1.. of `model_sql` (a macro taking loads, part, parts), each
        inserted into {{ this }} (part 0 is the model's own SQL). Parts only when the run
        read every load (dossier_loads_to_read(updated_column, held_name) is none). -#}
    {%- set parts = dossier_parts(none) -%}
    {%- if parts > 1 and dossier_loads_to_read(updated_column, held_name) is none -%}
    {%- for part in range(1, parts) %}
    insert into {{ this }} by name select * from ({{ model_sql(none, part, parts) }});
    {%- endfor -%}
    {%- endif -%}
{%- endmacro %}
