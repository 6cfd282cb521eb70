{#- Dossiers (dichvucong.ho_so) in dq_revision. The change stream brings every state of a
    dossier, each with a newer update time: that is its course, not a revision. A *revision*
    is a dossier that changes again after it was closed (resolved or withdrawn): figures
    already counted for its months move (the newest state stands). A *conflict* is a second,
    different copy of one update (same dossier, same NgayCapNhat) in one load: the connector
    keeps it and names its record (`#record=R` in source_ref) and the copy received last
    stands (macros/versions.sql). Identical copies are repeats: skipped by the connector,
    counted in the load's ledger entry (rows_in − rows_loaded − rows_quarantined). -#}
{% macro dossier_is_closed() -%}
    {#- A dossier record that closes it: resolved, or withdrawn. The least update time of
        such records is the dossier's first close (int_dossier_closed); a record updated
        after it is a revision (int_dossier_versions). -#}
    (resolved_at is not null or status = 'RUT_HO_SO')
{%- endmacro %}

{% macro dossier_versions() -%}
    {#- The records themselves: int_dossier_versions (incremental; it reads only the loads
        not read yet). -#}
    -- depends_on: {{ ref('int_dossier_closed') }}
    select
        'dichvucong.ho_so' as dataset,
        {{ format_date("received_at", "%Y-%m") }} as period_label,
        dossier_id as record_key,
        kind,
        updated_at as version_time,
        cast(null as double) as previous_value,
        cast(null as double) as value,
        cast(null as double) as change,
        load_id,
        source_ref as raw_location
    from {{ ref('int_dossier_versions') }}
{%- endmacro %}
