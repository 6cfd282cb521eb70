{#- Compile-time watermarks for incremental models. They are rendered as literals (not
    subqueries) so DuckDB can push the filter into the Parquet scan and skip row groups by
    their min/max statistics. -#}

{% macro max_value_literal(relation, column) -%}
    {#- max(column) of relation as a SQL timestamp literal, or none when empty. -#}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set result = run_query("select cast(max(" ~ column ~ ") as " ~ dbt.type_string() ~ ") from " ~ relation) -%}
    {%- set value = result.columns[0].values()[0] -%}
    {{ return(none if value is none else "timestamp '" ~ value ~ "'") }}
{%- endmacro %}

{% macro loads_to_read(source_name, table_name, updated_column, extracted_column) -%}
    {#- The load folders an incremental run of a current-state model must read: those holding
        a record updated after what {{ this }} holds, or extracted after its newest extraction
        (a re-run of an older window brings old update times). Told from the Parquet footers'
        statistics alone, no data read; a file or row group without them is read. Returns the load ids as a
        SQL list ('' when none), or none (= read every load) while {{ this }} is empty. -#}
    {%- set held_updated = max_value_literal(this, 'updated_at') -%}
    {%- set held_extracted = max_value_literal(this, 'extracted_at') -%}
    {%- if held_updated is none or held_extracted is none -%}{{ return(none) }}{%- endif -%}
    {%- set pattern = lake_files(source_name, table_name) -%}
    {%- set query -%}
        with files as (
            select
                file_name,
                max(coalesce(try_cast(stats_max as timestamp), 'infinity'::timestamp))
                    filter (where path_in_schema = '{{ updated_column }}') as updated_max,
                max(coalesce(try_cast(stats_max as timestamp), 'infinity'::timestamp))
                    filter (where path_in_schema = '{{ extracted_column }}') as extracted_max
            from parquet_metadata('{{ pattern | replace("'", "''") }}')
            group by file_name
        )
        select distinct regexp_extract(file_name, '/load_id=([^/]+)/[^/]*$', 1) as load_id
        from files
        where updated_max is null or extracted_max is null
            or updated_max > {{ held_updated }} or extracted_max > {{ held_extracted }}
        order by load_id
    {%- endset -%}
    {%- set loads = run_query(query).columns[0].values() -%}
    {%- set quoted = [] -%}
    {%- for load in loads -%}{%- do quoted.append("'" ~ load | replace("'", "''") ~ "'") -%}{%- endfor -%}
    {{ return(quoted | join(", ")) }}
{%- endmacro %}
