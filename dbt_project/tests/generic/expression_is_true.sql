{#- Like dbt_utils.expression_is_true: fails for every row where the expression is not true
    (null counts as a failure unless the expression handles it). Narrow with `config: where`. -#}
{% test expression_is_true(model, expression, column_name=none) %}
    select *
    from {{ model }}
    where not coalesce(
        {%- if column_name %} {{ column_name }} {% endif %} {{ expression }}, false)
{% endtest %}
