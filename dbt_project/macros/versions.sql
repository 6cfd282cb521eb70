{#- Records that come again (spec/sources.md: "Figures are revised"). The lake keeps every
    version; these macros say which stands and what changed. -#}

{% macro received_last(source_ref) -%}
    {#- Order terms putting the copy received last first, within one extraction: the later
        page, then the later record of the page or line of the file (source_ref =
        'GET …page=N…#record=I' or '<file>#line=L'). The documented rule for a conflict (two
        different copies, neither newer). -#}
    coalesce(nullif(regexp_extract({{ source_ref }}, '[?&]page=([0-9]+)', 1), '')::integer, 0) desc,
    coalesce(nullif(regexp_extract({{ source_ref }}, '#(?:record|line)=([0-9]+)', 1), '')::integer, 0) desc
{%- endmacro %}

{% macro record_versions(dataset, relation, key, content, time, measure, period_label) -%}
    {#- One row per version of a record that came after its first: `revision` (a newer
        publication or update time: it replaced what stood) or `conflict` (different content,
        the same time: resolved by the latest-model's rule, counted under đúng). A version is a
        distinct content of the record (its figures, without its time: identical copies, in any
        load or republished, are one version); its time is the first `time` it came with (for a source without one, the extraction: a later load is newer, two
        copies in one load conflict). `measure`: the headline figure whose change is shown. -#}
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

        versions as (
            select
                period_label,
                record_key,
                content_hash,
                min(version_time) as version_time,
                {{ arg_min("measure_value", "extracted_at") }} as measure_value,
                {{ arg_min("load_id", "extracted_at") }} as load_id,
                {{ arg_min("source_ref", "extracted_at") }} as raw_location
            from copies
            group by period_label, record_key, content_hash
        ),

        ordered as (
            select
                *,
                row_number() over (
                    partition by record_key, version_time order by load_id, raw_location, content_hash
                ) as copy_at_time,
                min(version_time) over (partition by record_key) as first_time,
                lag(measure_value) over (
                    partition by record_key order by version_time, load_id, raw_location, content_hash
                ) as previous_value
            from versions
        )

        select
            '{{ dataset }}' as dataset,
            period_label,
            record_key,
            case when copy_at_time > 1 then 'conflict' else 'revision' end as kind,
            version_time,
            previous_value,
            measure_value as value,
            measure_value - previous_value as change,
            load_id,
            raw_location
        from ordered
        where copy_at_time > 1 or version_time > first_time
    )
{%- endmacro %}
