{#- SQL that DuckDB and Spark spell differently, one dispatched macro each (DuckDB's spelling is
    the default). Expressions are passed as SQL text: {{ arg_max("state", "version") }}. -#}

{#- The value of the row with the greatest/least ordering, rows with a null value left out. -#}
{% macro arg_max(value, ordering) -%}{{ adapter.dispatch("arg_max", "ioc")(value, ordering) }}{%- endmacro %}
{% macro default__arg_max(value, ordering) -%}arg_max({{ value }}, {{ ordering }}){%- endmacro %}
{#- Spark's max_by keeps a null value: the filter makes it DuckDB's arg_max. -#}
{% macro spark__arg_max(value, ordering) -%}
    max_by({{ value }}, {{ ordering }}) filter (where {{ value }} is not null)
{%- endmacro %}

{% macro arg_min(value, ordering) -%}{{ adapter.dispatch("arg_min", "ioc")(value, ordering) }}{%- endmacro %}
{% macro default__arg_min(value, ordering) -%}arg_min({{ value }}, {{ ordering }}){%- endmacro %}
{% macro spark__arg_min(value, ordering) -%}
    min_by({{ value }}, {{ ordering }}) filter (where {{ value }} is not null)
{%- endmacro %}

{#- The value of the row with the greatest ordering, null included. -#}
{% macro arg_max_null(value, ordering) -%}{{ adapter.dispatch("arg_max_null", "ioc")(value, ordering) }}{%- endmacro %}
{% macro default__arg_max_null(value, ordering) -%}arg_max_null({{ value }}, {{ ordering }}){%- endmacro %}
{% macro spark__arg_max_null(value, ordering) -%}max_by({{ value }}, {{ ordering }}){%- endmacro %}

{#- A date or timestamp as text, format in strftime's codes (%Y %m %d %H %M). -#}
{% macro format_date(expression, format) -%}{{ adapter.dispatch("format_date", "ioc")(expression, format) }}{%- endmacro %}
{% macro default__format_date(expression, format) -%}strftime({{ expression }}, '{{ format }}'){%- endmacro %}
{% macro spark__format_date(expression, format) -%}
    date_format({{ expression }}, '{{ spark_datetime_pattern(format) }}')
{%- endmacro %}

{#- Text to a timestamp by a strftime format; null when it does not match. -#}
{% macro try_parse_timestamp(expression, format) -%}{{ adapter.dispatch("try_parse_timestamp", "ioc")(expression, format) }}{%- endmacro %}
{% macro default__try_parse_timestamp(expression, format) -%}try_strptime({{ expression }}, '{{ format }}'){%- endmacro %}
{% macro spark__try_parse_timestamp(expression, format) -%}
    try_to_timestamp({{ expression }}, '{{ spark_datetime_pattern(format) }}')
{%- endmacro %}

{#- strftime codes as Spark's datetime pattern; other letters quoted. -#}
{% macro spark_datetime_pattern(format) -%}
    {%- set codes = {"Y": "yyyy", "m": "MM", "d": "dd", "H": "HH", "M": "mm", "S": "ss"} -%}
    {%- set parts = [] -%}
    {%- for piece in format.split("%") -%}
        {%- if loop.first -%}
            {%- do parts.append(piece) -%}
        {%- else -%}
            {%- do parts.append(codes[piece[0]] ~ piece[1:]) -%}
        {%- endif -%}
    {%- endfor -%}
    {{- parts | join("") | replace("T", "''T''") -}}
{%- endmacro %}

{% macro record_rank(updated_at, extracted_at, load_id, source_ref) -%}
    {{ adapter.dispatch("record_rank", "ioc")(updated_at, extracted_at, load_id, source_ref) }}
{%- endmacro %}

{#- A record's rank, greatest = newest. DuckDB: one 128-bit integer, a small aggregate state:
    updated_at (µs since 1900, 53 bits: up to 2185),
    then extracted_at (ms, 43 bits), then 31 bits ordering the copies of one update in one
    extraction. A conflict (two different copies, macros/versions.sql): the connector names
    each later copy by its page and record (`…page=P…#record=R`) and the one received last
    wins (bit 30 set, then page, then record); other copies (the same update delivered twice
    by hand-made files) by 30 bits of a hash of load and request. A plain `contains` for
    every row, the regex only for the few conflicts. -#}
{% macro default__record_rank(updated_at, extracted_at, load_id, source_ref) -%}
    ((coalesce(epoch_us({{ updated_at }}) - epoch_us(timestamp '1900-01-01'), 0)::hugeint << 74)
    + (coalesce(epoch_ms({{ extracted_at }}) - epoch_ms(timestamp '1900-01-01'), 0)::hugeint << 31)
    + case when contains({{ source_ref }}, '#record=') then (1::hugeint << 30)
        + (least(coalesce(nullif(regexp_extract({{ source_ref }}, '[?&]page=([0-9]+)', 1), '')::bigint, 0),
            32767) << 15)
        + least(regexp_extract({{ source_ref }}, '#record=([0-9]+)', 1)::bigint, 32767)
        else (hash({{ load_id }}, {{ source_ref }}) >> 34)::hugeint end)
{%- endmacro %}

{#- Spark: the same order as a struct (compared field by field). -#}
{% macro spark__record_rank(updated_at, extracted_at, load_id, source_ref) -%}
    struct(coalesce({{ updated_at }}, timestamp '1900-01-01'),
        coalesce({{ extracted_at }}, timestamp '1900-01-01'),
        contains({{ source_ref }}, '#record='),
        coalesce(cast(nullif(regexp_extract({{ source_ref }}, '[?&]page=([0-9]+)', 1), '') as bigint), 0),
        coalesce(cast(nullif(regexp_extract({{ source_ref }}, '#record=([0-9]+)', 1), '') as bigint), 0),
        xxhash64({{ load_id }}, {{ source_ref }}))
{%- endmacro %}

{#- The month starts from start (included) to stop (excluded), as a FROM item:
    from {{ month_range("a", "b") }} as t(month_start). -#}
{% macro month_range(start, stop) -%}{{ adapter.dispatch("month_range", "ioc")(start, stop) }}{%- endmacro %}
{% macro default__month_range(start, stop) -%}
    range(
        {{ start }},
        {{ stop }},
        interval 1 month
    )
{%- endmacro %}
{#- Spark's sequence() includes its stop. -#}
{% macro spark__month_range(start, stop) -%}
    (select m from (select explode(sequence({{ start }}, {{ stop }}, interval 1 month)) as m)
        where m < {{ stop }})
{%- endmacro %}

{#- `select *` from a relation, plus each of `columns` ({name: type}) that it lacks, as null
    (a column a newer connector added, absent from older loads). -#}
{% macro select_with_columns(relation, columns) -%}{{ adapter.dispatch("select_with_columns", "ioc")(relation, columns) }}{%- endmacro %}
{% macro default__select_with_columns(relation, columns) -%}
    select * from {{ relation }}
    {%- for name, type in columns.items() %}
    union all by name
    select null::{{ type }} as {{ name }} where false
    {%- endfor %}
{%- endmacro %}
{#- Spark has no UNION BY NAME: the relation's columns are looked up when the model compiles. -#}
{% macro spark__select_with_columns(relation, columns) -%}
    {%- set have = (run_query("select * from " ~ relation ~ " limit 0").column_names | map("lower") | list) if execute else [] -%}
    select *
    {%- for name, type in columns.items() if name | lower not in have %}, cast(null as {{ type }}) as {{ name }}{% endfor %}
    from {{ relation }}
{%- endmacro %}

{#- The rows of the CTEs named in `branches`, their columns matched by name (a column missing
    from one is null there). `ctes`: the text of the WITH clause defining them. -#}
{% macro union_all_by_name(branches, ctes) -%}{{ adapter.dispatch("union_all_by_name", "ioc")(branches, ctes) }}{%- endmacro %}
{% macro default__union_all_by_name(branches, ctes) -%}
    {%- for branch in branches %}
    select * from {{ branch }}
    {%- if not loop.last %}
    union all by name
    {%- endif %}
    {%- endfor %}
{%- endmacro %}
{#- Spark has no UNION BY NAME: each CTE's columns are read when the model compiles. -#}
{% macro spark__union_all_by_name(branches, ctes) -%}
    {%- set names = [] -%}
    {%- set have = {} -%}
    {%- for branch in branches -%}
        {%- set columns = run_query(ctes ~ "\nselect * from " ~ branch ~ " limit 0").column_names if execute else [] -%}
        {%- do have.update({branch: columns | map("lower") | list}) -%}
        {%- for column in columns if column | lower not in names -%}{%- do names.append(column | lower) -%}{%- endfor -%}
    {%- endfor -%}
    {%- for branch in branches %}
    select
        {%- for name in names %} {{ name if name in have[branch] else "null as " ~ name }}{{ "," if not loop.last }}{% endfor %}
    from {{ branch }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}

{#- Texts joined by a separator in a given order (an aggregate; a filter clause may follow). -#}
{% macro string_agg_ordered(expression, separator, order_by) -%}
    {{ adapter.dispatch("string_agg_ordered", "ioc")(expression, separator, order_by) }}
{%- endmacro %}
{% macro default__string_agg_ordered(expression, separator, order_by) -%}
    string_agg(
            {{ expression }},
            {{ separator }} order by {{ order_by }}
        )
{%- endmacro %}
{% macro spark__string_agg_ordered(expression, separator, order_by) -%}
    listagg({{ expression }}, {{ separator }}) within group (order by {{ order_by }})
{%- endmacro %}

{#- A date or timestamp some months later (dbt.dateadd on Spark goes through Unix seconds and
    gives null for Spark's TIMESTAMP_NTZ). Parenthesised. -#}
{% macro add_months(expression, months) -%}{{ adapter.dispatch("add_months", "ioc")(expression, months) }}{%- endmacro %}
{% macro default__add_months(expression, months) -%}({{ expression }} + to_months({{ months }})){%- endmacro %}
{% macro spark__add_months(expression, months) -%}add_months({{ expression }}, {{ months }}){%- endmacro %}

{#- Regular expressions in string literals: [0-9], not \d (Spark's parser reads a backslash in
    a literal as an escape, DuckDB keeps it). -#}
