{#- The invocation's start as a naive Asia/Ho_Chi_Minh timestamp, like every time in the lake. -#}
{% macro run_started_at_local() -%}
    (timestamp '{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S.%f") }}'
        + interval {{ var('local_utc_offset_hours') }} hour)
{%- endmacro %}
