{#- A dossier model that reads every dossier record (a full build, or an incremental run
    that reads every load) groups ~47 M dossiers at scale 10: more than DuckDB's memory_limit
    holds, and a join whose probe side is the whole-width records spills them (tens of GB).
    fct_dossier (the current state) reads them in two passes instead:

    1. its pre-hook (newest_dossier_records) groups the narrow columns of every record by
       dossier once and keeps, per dossier, the position of its newest record (file and row
       in the file), its unit before the reform and its first close: a narrow table (the
       aggregation spills gracefully when it must);
    2. the model's SQL and its post-hook (insert_dossier_parts) read the lake files in parts,
       each part a share of the files (a file filter: each part reads only its files' bytes),
       and keep the rows at the positions of pass 1 in those files (a join on one integer,
       the build side a part's share of the dossiers). The last post-hook drops pass 1's table.

    Measured at SF1 under a 300 MB cap (SF10's pressure): 4 parts by a hash of the dossier id,
    each reading every column of every file, took 38 s of CPU; this 28 s (benchmarks/README.md). -#}

{% macro dossier_parts(loads) -%}
    {#- How many parts a run reads the records in: one for an incremental run that reads
        some loads (few records), a unit test (its given rows), or while parsing; else one per `dossier_records_per_part`
        records (var, else env IOC_DOSSIER_RECORDS_PER_PART, default 25 M: about 12 M dossiers' join in ~2 GB),
        counted from the lake's Parquet footers, and never more than its files. On Spark one: its shuffle partitions. -#}
    {%- if not execute or loads is not none or target.type == 'spark'
        or model.resource_type == 'unit_test' or not lake_has_files('dichvucong', 'ho_so') -%}
        {{ return(1) }}
    {%- endif -%}
    {%- set pattern = lake_files('dichvucong', 'ho_so') | replace("'", "''") -%}
    {%- set row = run_query("select coalesce(sum(num_rows), 0), count(*) from parquet_file_metadata('"
        ~ pattern ~ "')").rows[0] -%}
    {%- set per_part = var('dossier_records_per_part', env_var('IOC_DOSSIER_RECORDS_PER_PART', 25000000)) | int -%}
    {{ return([1, [row[1], ((row[0] + per_part - 1) // per_part) | int] | min] | max) }}
{%- endmacro %}

{% macro dossier_lake_files() -%}
    {#- The dossier lake files, in name order: the numbering the record positions use. -#}
    {%- set pattern = lake_files('dichvucong', 'ho_so') | replace("'", "''") -%}
    {{ return(run_query("select file from glob('" ~ pattern ~ "') order by file").columns[0].values()) }}
{%- endmacro %}

{% macro dossier_records_in_files(part, parts) -%}
    {#- The records of part `part` of `parts` of the lake files (every file when parts is 1),
        renamed as base_dichvucong__ho_so, with `record_position`: the file's number in
        dossier_lake_files() (file k of part p is file k * parts + p) << 40, or its row in the
        file. The files read as the source reads them (hive partitions, columns by name). -#}
    {%- set files = dossier_lake_files()[part::parts] -%}
    (select {{ dossier_record_columns() }},
        ((file_index::bigint * {{ parts }} + {{ part }}) << 40) | file_row_number as record_position
    from read_parquet([{%- for f in files %}'{{ f | replace("'", "''") }}'{{ ", " if not loop.last }}{% endfor %}],
        hive_partitioning = true, hive_types_autocast = false, union_by_name = true,
        file_row_number = true))
{%- endmacro %}

{% macro newest_dossier_records_relation() -%}
    {#- Beside the dossier models' working tables, not in the served file (dossier_work_schema). -#}
    {%- set work = dossier_work_schema() -%}
    {{ return(api.Relation.create(database=work.database, schema=work.schema,
        identifier=this.identifier ~ '__newest')) }}
{%- endmacro %}

{% macro newest_dossier_records(loads) -%}
    {#- The pre-hook's pass 1 (above), when the run reads the records in parts. -#}
    {%- set parts = dossier_parts(loads) -%}
    {%- if parts > 1 -%}
    create or replace table {{ newest_dossier_records_relation() }} as
    select
        *,
        -- the part its record's file is read in (dossier_records_in_files), a column for the
        -- parts' filter: DuckDB estimates a filter on an expression of record_position from
        -- the positions' distinct count (~2 rows), which put a whole part on the build side
        -- of fct_dossier's join to the units, single-threaded and spilling (benchmarks/README.md)
        (record_position >> 40) % {{ parts }} as part
    from (
        select
            {{ arg_max("record_position", record_rank("updated_at", "extracted_at", "load_id", "source_ref")) }}
                as record_position,
            {{ dossier_unit_before_reform() }} as unit_before_reform,
            {{ dossier_first_close() }} as first_closed_at
        from {{ dossier_records_in_files(0, 1) }} as records
        group by dossier_id
    ) as newest
    {%- endif -%}
{%- endmacro %}

{% macro insert_dossier_parts(model_sql, updated_column=none, held_name=none) -%}
    {#- The post-hook: parts 1.. of `model_sql` (a macro taking loads, part, parts), each
        inserted into {{ this }} (part 0 is the model's own SQL); drop_newest_dossier_records
        then drops pass 1's table.
        Parts only when the run read every load (dossier_loads_to_read(updated_column,
        held_name) is none). -#}
    {%- set parts = dossier_parts(none) -%}
    {%- if parts > 1 and dossier_loads_to_read(updated_column, held_name) is none -%}
    {%- for part in range(1, parts) %}
    insert into {{ this }} by name select * from ({{ model_sql(none, part, parts) }});
    {%- endfor %}
    {%- endif -%}
{%- endmacro %}

{% macro drop_newest_dossier_records() -%}
    {#- The last post-hook: pass 1's table dropped (none when the run read no parts). -#}
    {%- if execute and target.type != 'spark' -%}
    drop table if exists {{ newest_dossier_records_relation() }}
    {%- endif -%}
{%- endmacro %}
