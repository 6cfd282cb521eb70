{#- Compile-time watermarks for incremental models. They are rendered as literals (not
    subqueries) so DuckDB can push the filter into the Parquet scan and skip row groups by
    their min/max statistics. -#}

{% macro max_value_literal(relation, column) -%}
    {#- max(column) of relation as a SQL timestamp literal, or none when empty. -#}
    {%- if not execute -%}{{ return(none) }}{%- endif -%}
    {%- set result = run_query("select max(" ~ column ~ ")::varchar from " ~ relation) -%}
    {%- set value = result.columns[0].values()[0] -%}
    {{ return(none if value is none else "timestamp '" ~ value ~ "'") }}
{%- endmacro %}

{% macro changed_records_lower_bound(raw_relation, updated_column, extracted_column) -%}
    {#- Lowest update time worth reading again in an incremental run of a current-state model:
        everything newer than what {{ this }} holds, plus every record of a load extracted
        after the last processed one (a re-run of an older window brings old update times).
        Returns a timestamp literal, or none (= read everything). -#}
    {%- set held_updated = max_value_literal(this, 'updated_at') -%}
    {%- set held_extracted = max_value_literal(this, 'extracted_at') -%}
    {%- if held_updated is none or held_extracted is none -%}{{ return(none) }}{%- endif -%}
    {%- set query -%}
        select least(min({{ updated_column }}), {{ held_updated }})::varchar
        from {{ raw_relation }}
        where {{ extracted_column }} > {{ held_extracted }}
    {%- endset -%}
    {%- set value = run_query(query).columns[0].values()[0] -%}
    {{ return(held_updated if value is none else "timestamp '" ~ value ~ "'") }}
{%- endmacro %}
