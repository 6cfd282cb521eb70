{#- Records that come again (spec/sources.md: "Figures are revised"). The lake keeps every
    version; these macros say which stands and what changed. -#}

{% macro received_last(source_ref) -%}
    {#- Order terms putting the copy received last first, within one extraction: the later
        page, then the later record of the page or line of the file (source_ref =
        'GET …page=N…#record=I…', '<file>#line=L' or '<file>!<sheet>!A<row>'). The documented rule for a conflict (two
        different copies, neither newer). -#}
    coalesce(nullif(regexp_extract({{ source_ref }}, '[?&]page=([0-9]+)', 1), '')::integer, 0) desc,
    coalesce(nullif(regexp_extract({{ source_ref }}, '(?:#(?:record|line)=|![A-Z]+)([0-9]+)', 1), '')::integer, 0) desc
{%- endmacro %}

{% macro received_first(source_ref) -%}
    {#- The reverse of received_last: the copy received first first (within one extraction). -#}
    coalesce(nullif(regexp_extract({{ source_ref }}, '[?&]page=([0-9]+)', 1), '')::integer, 0),
    coalesce(nullif(regexp_extract({{ source_ref }}, '(?:#(?:record|line)=|![A-Z]+)([0-9]+)', 1), '')::integer, 0)
{%- endmacro %}

{% macro record_versions(dataset, relation, key, content, time, measure, period_label) -%}
    {#- One row per change of a record after its first copy: `revision` (a newer publication
        or update time brought other figures: it replaced what stood) or `conflict` (other
        figures with the same time: resolved by the latest-model's rule, counted under đúng).
        The copies of a record are put in order (their time, then their arrival: extraction,
        load, page, record or line) and each copy whose content differs from the copy before
        it is a change, attributed to the load that first brought that content at that time.
        Identical copies (a repeat, in any load) and a republication with the same figures
        change nothing; a figure that returns to an earlier value (A → B → A) is two changes.
        For a source without a time, `time` is the extraction: a later load is newer, two
        copies in one load conflict. `measure`: the headline figure whose change is shown. -#}
    select * from (
        with copies as (
            select
                {{ period_label }}::{{ dbt.type_string() }} as period_label,
                concat_ws(' | ', {% for k in key %}{{ k }}::{{ dbt.type_string() }}{% if not loop.last %}, {% endif %}{% endfor %}) as record_key,
                md5(concat_ws('|', {% for c in content %}coalesce({{ c }}::{{ dbt.type_string() }}, '∅'){% if not loop.last %}, {% endif %}{% endfor %})) as content_hash,
                ({{ time }})::timestamp as version_time,
                ({{ measure }})::double as measure_value,
                load_id,
                extracted_at,
                source_ref
            from {{ relation }}
        ),

        timed as (
            -- one row per content at each time, as it first came
            select
                period_label,
                record_key,
                content_hash,
                version_time,
                {{ arg_min("measure_value", "extracted_at") }} as measure_value,
                {{ arg_min("load_id", "extracted_at") }} as load_id,
                {{ arg_min("source_ref", "extracted_at") }} as raw_location,
                min(extracted_at) as first_extracted_at
            from copies
            group by period_label, record_key, content_hash, version_time
        ),

        ordered as (
            select
                *,
                lag(content_hash) over record_order as previous_hash,
                lag(version_time) over record_order as previous_time,
                lag(measure_value) over record_order as previous_value
            from timed
            window record_order as (
                partition by period_label, record_key
                order by version_time, first_extracted_at, load_id,
                    {{ received_first('raw_location') }}, content_hash
            )
        )

        select
            '{{ dataset }}' as dataset,
            period_label,
            record_key,
            case when version_time is not distinct from previous_time
                then 'conflict' else 'revision' end as kind,
            version_time,
            previous_value,
            measure_value as value,
            measure_value - previous_value as change,
            load_id,
            raw_location
        from ordered
        where previous_hash is not null and content_hash <> previous_hash
    )
{%- endmacro %}
