{#- The raw lake's root: --vars '{lake_root: ...}', else env IOC_LAKE, else <IOC_WAREHOUSE>/lake
    (the same expression as the sources' external_location). -#}
{% macro lake_root() -%}
    {{ return(var("lake_root", env_var("IOC_LAKE", env_var("IOC_WAREHOUSE", "warehouse") ~ "/lake"))) }}
{%- endmacro %}

{% macro lake_has_files(source_name, table_name) -%}
    {#- Whether any load of <source>/<table> has landed in the lake. A staging model of a source
        that has not delivered yet selects no rows instead of failing on a missing folder, so
        `dbt build` works from the first day. True while parsing, so the source() call is
        always seen and the lineage stays whole. -#}
    {%- if not execute -%}{{ return(true) }}{%- endif -%}
    {%- set pattern = lake_root() ~ "/" ~ source_name ~ "/" ~ table_name ~ "/load_id=*/*.parquet" -%}
    {%- set result = run_query("select count(*) from glob('" ~ pattern | replace("'", "''") ~ "')") -%}
    {{ return(result.columns[0].values()[0] > 0) }}
{%- endmacro %}
