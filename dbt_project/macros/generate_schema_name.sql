{#- Schemas are exactly the configured names (staging, intermediate, marts, seeds), not
    dbt's default <target_schema>_<custom>; models without one land in the target schema. -#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
