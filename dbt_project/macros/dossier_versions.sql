{#- Dossiers (dichvucong.ho_so) in dq_revision. The change stream brings every state of a
    dossier, each with a newer update time: that is its course, not a revision. A *revision*
    is a dossier that changes again after it was closed (resolved or withdrawn): figures
    already counted for its months move (the newest state stands). A *conflict* is a second,
    different copy of one update (same dossier, same NgayCapNhat) in one load: the connector
    keeps it and names its record (`#record=R` in source_ref) and the copy received last
    stands (macros/versions.sql). Identical copies are repeats: skipped by the connector,
    counted in the load's ledger entry (rows_in − rows_loaded − rows_quarantined). Cost: one
    scan of four columns of the raw records and a group by dossier over the closed ones. -#}
{% macro dossier_versions() -%}
    select * from (
        with records as (
            select dossier_id, updated_at, received_at, resolved_at, status, load_id, source_ref
            from {{ ref('base_dichvucong__ho_so') }}
        ),

        closed as (
            select dossier_id, min(updated_at) as closed_at
            from records
            where resolved_at is not null or status = 'RUT_HO_SO'
            group by dossier_id
        ),

        revised as (
            select records.*, 'revision' as kind
            from records
            inner join closed
                on closed.dossier_id = records.dossier_id
                and records.updated_at > closed.closed_at
            where not contains(records.source_ref, '#record=')
        ),

        conflicting as (
            select *, 'conflict' as kind from records where contains(source_ref, '#record=')
        )

        select
            'dichvucong.ho_so' as dataset,
            strftime(received_at, '%Y-%m') as period_label,
            dossier_id as record_key,
            kind,
            updated_at as version_time,
            null::double as previous_value,
            null::double as value,
            null::double as change,
            load_id,
            source_ref as raw_location
        from (select * from revised union all select * from conflicting)
    )
{%- endmacro %}
