{#- dbt's `where` config of a data test, with one addition: `__this__` in it names the tested
    relation, so a test of an incremental model can check only the rows its last run rewrote,
    e.g. `where: "processed_at = (select max(processed_at) from __this__)"`. A row's values
    change only when a run rewrites it; a check that involves other rows (a key's
    uniqueness) keeps them in, e.g. `dossier_id in (select dossier_id from __this__ where
    ...)`. -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where -%}
        {%- do return("(select * from " ~ relation ~ " where "
            ~ where | replace("__this__", relation | string) ~ ") dbt_subquery") -%}
    {%- else -%}
        {%- do return(relation) -%}
    {%- endif -%}
{%- endmacro %}
