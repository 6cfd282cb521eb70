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

{% macro loads_to_read(source_name, table_name, updated_column, extracted_column, held=none) -%}
    {#- The load folders an incremental run of a current-state model must read: those holding
        a record updated after what {{ this }} holds, or extracted after its newest extraction
        (a re-run of an older window brings old update times). Told from the Parquet footers'
        statistics alone, no data read; a file or row group without them is read. Returns the load ids as a
        SQL list ('' when none), or none (= read every load) while {{ this }} is empty.
        updated_column none: only the loads extracted after the newest extraction of `held`
        (default {{ this }}). -#}
    {%- set held = held or this -%}
    {%- set held_extracted = max_value_literal(held, 'extracted_at') -%}
    {%- set updated_column = updated_column or extracted_column -%}
    {%- set held_updated = max_value_literal(held, 'updated_at')
        if updated_column != extracted_column else held_extracted -%}
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

{% macro months_to_recount(dossiers) -%}
    {#- The months an incremental run of int_dossiers_counted_by_month counts again, as a
        list of 'YYYY-MM-DD' month starts ([] when none), or none (= every month). A
        dossier's counts stand in the months from its receipt to its close (or, open, to the
        horizon: the month of the newest update); a dossier the current state rewrote since
        this table's last count (processed_at) moves the counts of its new state's months and
        of the replaced state's (replaced_*); a newer horizon adds months after the last one
        held. Every month when the table predates processed_at, when a replaced state was
        itself written after the last count (never counted: its own predecessor's months are
        unknown), or when the current state was written whole since. -#}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set held_columns = adapter.get_columns_in_relation(this) | map(attribute='name') | list -%}
    {%- if 'processed_at' not in held_columns -%}{{ return(none) }}{%- endif -%}
    {%- set query -%}
        with held as (
            select max(processed_at) as counted_through, max(month_start) as last_month
            from {{ this }}
        ),
        horizon as (
            select date_trunc('month', max(updated_at))::date as last_month from {{ dossiers }}
        ),
        rewritten as (
            select received_at, closed_at, replaced_received_at, replaced_closed_at,
                replaced_processed_at
            from {{ dossiers }}
            where processed_at > (select counted_through from held)
        ),
        spans as (
            select received_at as first_at, closed_at as last_at from rewritten
            union all
            select replaced_received_at, replaced_closed_at from rewritten
            where replaced_processed_at is not null
        ),
        bounds as (
            select distinct
                date_trunc('month', least(first_at, last_at))::date as first_month,
                least(
                    case when last_at is null then (select last_month from horizon)
                        else date_trunc('month', greatest(first_at, last_at))::date end,
                    (select last_month from horizon)) as last_month
            from spans
            union all
            select (held.last_month + interval 1 month)::date, horizon.last_month
            from held, horizon
        ),
        months as (
            select unnest(generate_series(first_month, last_month, interval 1 month))::date
                as month_start
            from bounds
            where first_month <= last_month
        )
        select
            (select counted_through from held) is null
                or exists (select 1 from rewritten
                    where replaced_processed_at > (select counted_through from held))
                -- the current state written whole (dossier_loads_to_read): its replaced
                -- states, and the dossiers it no longer holds, are unknown
                or not exists (select 1 from {{ dossiers }}
                    where processed_at <= (select counted_through from held))
                as every_month,
            (select string_agg(m, ',' order by m)
                from (select distinct strftime(month_start, '%Y-%m-%d') as m from months))
                as months
    {%- endset -%}
    {%- set row = run_query(query).rows[0] -%}
    {{ return(none if row[0] else (row[1] or '').split(',') | reject('equalto', '') | list) }}
{%- endmacro %}

{% macro month_in(column, months) -%}
    {#- `column`'s month is one of `months` (see months_to_recount; none = any): a range on
        the column, which a scan can use to skip row groups, then the exact list. -#}
    {%- if months is none -%}true
    {%- elif not months -%}false
    {%- else -%}
    ({{ column }} >= date '{{ months | min }}'
        and {{ column }} < date '{{ months | max }}' + interval 1 month
        and cast(date_trunc('month', {{ column }}) as date) in (
            {%- for m in months %}date '{{ m }}'{{ ", " if not loop.last }}{% endfor %}))
    {%- endif -%}
{%- endmacro %}

{% macro delete_months_to_recount() -%}
    {#- int_dossiers_counted_by_month's pre-hook: the months this run counts again, deleted
        in the run's transaction before they are appended. -#}
    {%- if is_incremental() -%}
    delete from {{ this }}
    where {{ month_in('month_start', months_to_recount(ref('fct_dossier'))) }}
    {%- endif -%}
{%- endmacro %}
