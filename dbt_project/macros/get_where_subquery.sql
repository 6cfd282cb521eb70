{#- dbt's `where` config of a data test, with two additions rendered when the test runs:
    `__this__` names the tested relation and `__this_run__` is this invocation's start (as
    processed_at stamps rows), so a test of an incremental model can check only the rows
    this run rewrote: `where: "processed_at >= __this_run__"` (none in a no-op build, all in
    a full one). A row's values change only when a run rewrites it; a check that involves
    other rows (a key's uniqueness) keeps them in: `dossier_id in (select dossier_id from
    __this__ where processed_at >= __this_run__)`. Such a `where` (one naming `__this__`)
    selects every row when this run wrote every row (a full build, or a table rewritten
    whole): it is then left out, so the test reads the table once, not twice (a semi-join
    of every key with itself).
    A `where` of just that form (`<key> in (select <key> from __this__ where processed_at >=
    __this_run__)`) also gets the range of the keys this run wrote, as literals: `<key>
    between '<least>' and '<greatest>' and ...`. It selects the same rows (every rewritten
    key is in its range), but the scan drops the rows outside the range by comparing strings
    before the semi-join hashes and probes them: at SF1 after October, 0.51 M of 4.78 M
    rows reach the join, and the test takes ~30 % less CPU (benchmarks/README.md). -#}
{% macro get_where_subquery(relation) -%}
    {%- set where = config.get('where', '') -%}
    {%- if where and '__this__' in where and every_row_written_by_this_run(relation) -%}
        {%- do return(relation) -%}
    {%- elif where -%}
        {%- set where = key_range_written_by_this_run(relation, where) ~ where -%}
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
        select count(*) > 0 and count(processed_at) = count(*)
            and min(processed_at) >= {{ run_started_at_local() }}
        from {{ relation }}
    {%- endset -%}
    {{ return(run_query(query).columns[0].values()[0]) }}
{%- endmacro %}

{% macro key_range_written_by_this_run(relation, where) -%}
    {#- For a `where` of just the form `<key> in (select <key> from __this__ where
        processed_at >= __this_run__)`: `<key> between '<least>' and '<greatest>' and `, the
        least and greatest key of the rows this run wrote (those the where keeps have one of
        their keys). Nothing for another where, while parsing, or when the run wrote no row
        (the semi-join's build side is then empty: nothing is probed). A string key: the
        bounds are quoted as strings. -#}
    {%- set form = modules.re.fullmatch(
        "\\s*(\\w+)\\s+in\\s+\\(\\s*select\\s+\\1\\s+from\\s+__this__\\s+where\\s+"
        ~ "processed_at\\s*>=\\s*__this_run__\\s*\\)\\s*", where, modules.re.IGNORECASE) -%}
    {%- if not execute or not form -%}{{ return('') }}{%- endif -%}
    {%- set key = form.group(1) -%}
    {%- set query -%}
        select min({{ key }}), max({{ key }}) from {{ relation }}
        where processed_at >= {{ run_started_at_local() }}
    {%- endset -%}
    {%- set row = run_query(query).rows[0] -%}
    {%- if row[0] is none -%}{{ return('') }}{%- endif -%}
    {{ return(key ~ " between '" ~ row[0] | replace("'", "''") ~ "' and '"
        ~ row[1] | replace("'", "''") ~ "' and ") }}
{%- endmacro %}
