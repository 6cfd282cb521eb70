{#- dbt's `where` config of a data test, with two additions rendered when the test runs:
    `__this__` names the tested relation and `__this_run__` is this invocation's start (as
    processed_at stamps rows), so a test of an incremental model can check only the rows
    this run rewrote: `where: "processed_at >= __this_run__"` (none in a no-op build, all in
    a full one). A row's values change only when a run rewrites it; a check that involves
    other rows (a key's uniqueness) keeps them in: `dossier_id in (select dossier_id from
    __this__ where processed_at >= __this_run__)`. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do return("(select * from " ~ relation ~ " where "
            ~ where | replace("__this_run__", run_started_at_local())
                | replace("__this__", relation | string) ~ ") dbt_subquery") -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
