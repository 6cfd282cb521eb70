{#- dbt's `where` config of a data test, with two additions rendered when the test runs:
    `__this__` names the tested relation and `__this_run__` is this invocation's start (as
    processed_at stamps rows), so a test of an incremental model can check only the rows
    this run rewrote: `where: "processed_at >= __this_run__"` (none in a no-op build, all in
    a full one). A row's values change only when a run rewrites it; a check that involves
    other rows (a key's uniqueness) keeps them in: `dossier_id in (select dossier_id from
    __this__ where processed_at >= __this_run__)`. Such a `where` (one naming `__this__`)
    selects every row when this run wrote every row (a full build, or a table rewritten
    whole): it is then left out, so the test reads the table once, not twice (a semi-join
    of every key with itself). -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where and '__this__' in where and every_row_written_by_this_run(relation) -%}
        {%- do return(relation) -%}
    {%- elif where -%}
        {%- do return("(select * from " ~ relation ~ " where "
            ~ where | replace("__this_run__", run_started_at_local())
                | replace("__this__", relation | string) ~ ") dbt_subquery") -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}

{% macro every_row_written_by_this_run(relation) -%}
    {#- Whether every row of `relation` was written by this invocation (processed_at at or
        after its start): false while parsing or when the table holds no row. -#}
    {%- if not execute -%}{{ return(false) }}{%- endif -%}
    {%- set query -%}
        select count(*) > 0 and count(*) = count(*) filter (
            where processed_at >= {{ run_started_at_local() }})
        from {{ relation }}
    {%- endset -%}
    {{ return(run_query(query).columns[0].values()[0]) }}
{%- endmacro %}
