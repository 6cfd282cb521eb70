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
    {{ return(lake_file_count(lake_files(source_name, table_name)) > 0) }}
{%- endmacro %}

{#- The glob of <source>/<table>'s Parquet files. One province's lake: <table>/load_id=<id>/;
    many provinces' (ingest/common/lake.py): <table>/province=<code>/load_id=<id>/, a Hive
    table whose `province` column comes from the path. A table is one or the other. -#}
{% macro lake_files(source_name, table_name) -%}
    {%- set table = lake_root() ~ "/" ~ source_name ~ "/" ~ table_name -%}
    {%- set by_province = table ~ "/province=*/load_id=*/*.parquet" -%}
    {%- if execute and lake_file_count(by_province) > 0 -%}{{ return(by_province) }}{%- endif -%}
    {{ return(table ~ "/load_id=*/*.parquet") }}
{%- endmacro %}

{#- How many lake files match a glob pattern (0 while parsing). -#}
{% macro lake_file_count(pattern) -%}
    {%- if not execute -%}{{ return(0) }}{%- endif -%}
    {{ return(adapter.dispatch("lake_file_count", "ioc")(pattern)) }}
{%- endmacro %}

{% macro default__lake_file_count(pattern) -%}
    {%- set result = run_query("select count(*) from glob('" ~ pattern | replace("'", "''") ~ "')") -%}
    {{ return(result.columns[0].values()[0]) }}
{%- endmacro %}

{#- Spark has no glob() of files, and reading a path that matches nothing is an error: list
    the lake's Parquet files (names only, binaryFile without its content column) and match
    the pattern, made a regular expression, against their paths. Spark's listing skips the
    folders named _… or .… (without =) below the paths it is given, such as _meta: the
    pattern's folders down to its first such one are given too (a Hadoop glob
    <lake>{,/province=*/_meta}, which matches the lake itself when they do not exist). -#}
{% macro spark__lake_file_count(pattern) -%}
    {%- set root = lake_root() -%}
    {%- set relative = pattern[root | length:] -%}
    {%- set folders = relative.split("/")[:-1] -%}
    {%- set hidden = namespace(depth=none) -%}
    {%- for folder in folders -%}
        {%- if hidden.depth is none and folder[:1] in ("_", ".") and "=" not in folder -%}
            {%- set hidden.depth = loop.index -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set paths = root if hidden.depth is none
        else root ~ "{," ~ folders[:hidden.depth] | join("/") ~ "}" -%}
    {#- a view of its own per listing: dbt's threads share one Spark session, and a view of
        one name replaced by another thread between its creation and the count was counted
        for the wrong pattern (0 ledger files, now and then) -#}
    {%- set view = "ioc_lake_files_" ~ local_md5(paths ~ "|" ~ pattern) -%}
    {%- do run_query("create or replace temporary view " ~ view ~ " using binaryFile options (path '"
        ~ paths ~ "', recursiveFileLookup 'true', pathGlobFilter '*.parquet')") -%}
    {%- set regex = relative | replace(".", "[.]") | replace("*", "[^/]*") -%}
    {%- set result = run_query("select count(*) from " ~ view ~ " where path rlike '" ~ regex ~ "$'") -%}
    {{ return(result.columns[0].values()[0]) }}
{%- endmacro %}

{#- The column names of a relation over lake files (none while parsing), so that a column
    only newer files have is read where they exist and a typed null where none does. -#}
{% macro lake_columns(relation) -%}
    {%- if not execute -%}{{ return([]) }}{%- endif -%}
    {%- set result = run_query("select * from " ~ relation ~ " limit 0") -%}
    {{ return(result.column_names | map("lower") | list) }}
{%- endmacro %}

{#- A relation over the lake's Parquet files matching a glob, columns merged by name. -#}
{% macro lake_parquet(pattern) -%}
    {{ return(adapter.dispatch("lake_parquet", "ioc")(pattern)) }}
{%- endmacro %}

{% macro default__lake_parquet(pattern) -%}
    read_parquet('{{ pattern }}', union_by_name = true)
{%- endmacro %}

{#- Columns are merged by name by the session's spark.sql.parquet.mergeSchema (profiles.yml). -#}
{% macro spark__lake_parquet(pattern) -%}
    parquet.`{{ pattern }}`
{%- endmacro %}

{#- source(): dbt's own, so lineage is unchanged. dbt-duckdb reads a lake table through the
    source's external_location (read_parquet, hive partitions load_id=<id>), or, in a
    many-province lake, the same over province=<code>/load_id=<id>; on Spark the table's
    folder is read as Parquet, its province=/load_id= folders discovered as text partition
    columns (profiles.yml), which is the same relation. -#}
{% macro source(source_name, table_name) -%}
    {%- set relation = builtins.source(source_name, table_name) -%}
    {{ return(adapter.dispatch("lake_source", "ioc")(relation, source_name, table_name)) }}
{%- endmacro %}

{% macro default__lake_source(relation, source_name, table_name) -%}
    {%- set pattern = lake_files(source_name, table_name) -%}
    {%- if "/province=*/" not in pattern -%}{{ return(relation) }}{%- endif -%}
    {{ return("read_parquet('" ~ pattern ~ "', hive_partitioning = true, hive_types_autocast = false, union_by_name = true)") }}
{%- endmacro %}

{% macro spark__lake_source(relation, source_name, table_name) -%}
    {{ return("parquet.`" ~ lake_root() ~ "/" ~ source_name ~ "/" ~ table_name ~ "`") }}
{%- endmacro %}

{#- A relation over the lake's Parquet files matching any of the globs (each under lake_root()),
    columns merged by name, with each row's file as a text column `filename`. -#}
{% macro lake_parquet_with_filename(patterns) -%}
    {{ return(adapter.dispatch("lake_parquet_with_filename", "ioc")(patterns)) }}
{%- endmacro %}

{% macro default__lake_parquet_with_filename(patterns) -%}
    read_parquet(['{{ patterns | map("replace", "'", "''") | join("', '") }}'], union_by_name = true, filename = true)
{%- endmacro %}

{#- One path, a Hadoop glob <lake>{/a/*.parquet,/b/*.parquet}, read as one table: an
    alternative that matches nothing is no error while another matches. -#}
{% macro spark__lake_parquet_with_filename(patterns) -%}
    {%- set root = lake_root() -%}
    {%- set relative = [] -%}
    {%- for pattern in patterns -%}{%- do relative.append(pattern[root | length:]) -%}{%- endfor -%}
    (select *, input_file_name() as filename from parquet.`{{ root }}{{ "{" ~ relative | join(",") ~ "}" }}`)
{%- endmacro %}

{#- A relation over Parquet files under <lake>/province=<code>/..., matching a glob, with the
    code as a text column `province` (from the path, the Hive partition). -#}
{% macro lake_parquet_by_province(pattern) -%}
    {{ return(adapter.dispatch("lake_parquet_by_province", "ioc")(pattern)) }}
{%- endmacro %}

{% macro default__lake_parquet_by_province(pattern) -%}
    read_parquet('{{ pattern }}', union_by_name = true, hive_partitioning = true, hive_types_autocast = false)
{%- endmacro %}

{% macro spark__lake_parquet_by_province(pattern) -%}
    (select *, regexp_extract(input_file_name(), '/province=([^/]+)/', 1) as province
     from parquet.`{{ pattern }}`)
{%- endmacro %}
