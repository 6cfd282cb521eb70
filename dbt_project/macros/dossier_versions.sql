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
        such records is the dossier's first close (fct_dossier.first_closed_at); a record
        updated after it is a revision (int_dossier_versions). -#}
    (resolved_at is not null or status = 'RUT_HO_SO')
{%- endmacro %}

{% macro dossier_versions() -%}
    {#- The records themselves: int_dossier_versions (incremental; it reads only the loads
        not read yet). -#}
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

{% macro dossier_record_hash() -%}
    {#- One dossier record, as the incremental dossier models depend on it (its dossier,
        update time, place in the load and whether it closes the dossier), hashed: what
        int_dossier_record_keys holds of the records read. -#}
    hash(dossier_id, updated_at, source_ref, {{ dossier_is_closed() }})
{%- endmacro %}

{% macro dossier_loads_to_read(updated_column=none, held_name=none) -%}
    {#- The dichvucong.ho_so loads an incremental run of a dossier model reads (loads_to_read
        against the newest extraction of the relation `held_name`, default {{ this }}), or
        none: every load, the table rebuilt whole (delete_when_read_whole). Whole on a first
        build, without dossier files, and when a load read before came again without some
        record it had: the lake holds a re-run load in place of the first (the whole folder
        replaced), so what the missing record made (a state, a first close, a revision) must
        go, as a full refresh has it (int_dossier_record_keys: the records read before). -#}
    {%- if not (execute and is_incremental() and lake_has_files('dichvucong', 'ho_so')) -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set held = adapter.get_relation(this.database, this.schema, held_name)
        if held_name else this -%}
    {%- if held is none -%}{{ return(none) }}{%- endif -%}
    {#- fct_dossier as an older project built it (without the state's own columns, or
        without first_closed_at): its rows cannot be compared, so it is built whole, as a
        full refresh has it, instead of nulls in the columns a run adds. -#}
    {%- set held_columns = adapter.get_columns_in_relation(held) | map(attribute='name')
        | map('lower') | list -%}
    {%- if updated_column and ('replaced_processed_at' not in held_columns
        or 'first_closed_at' not in held_columns) -%}{{ return(none) }}{%- endif -%}
    {%- set loads = loads_to_read('dichvucong', 'ho_so', updated_column, '_extracted_at', held) -%}
    {%- set work = dossier_work_schema() -%}
    {%- set keys = adapter.get_relation(work.database, work.schema, 'int_dossier_record_keys') -%}
    {#- A load read for the first time has no key yet: nothing of it can be missing, and its
        records are not read here (this check runs for each dossier model and hook). -#}
    {%- if loads and keys is not none and run_query("select count(*) from " ~ keys
        ~ " where load_id in (" ~ loads ~ ")").columns[0].values()[0] > 0 -%}
        {%- set dropped -%}
            select count(*) from (
                select record_hash from {{ keys }} where load_id in ({{ loads }})
                except
                select {{ dossier_record_hash() }} from {{ ref('base_dichvucong__ho_so') }}
                where load_id in ({{ loads }})
            )
        {%- endset -%}
        {%- if run_query(dropped).columns[0].values()[0] > 0 -%}{{ return(none) }}{%- endif -%}
    {%- endif -%}
    {{ return(loads) }}
{%- endmacro %}

{% macro dossier_work_schema() -%}
    {#- Where the dossier models' working tables are (int_dossier_record_keys' database and
        schema: work.intermediate on DuckDB), as get_relation's arguments; {{ this }}'s where
        that model is off (Spark). fct_dossier, in the served file, keeps them there. -#}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.name == 'int_dossier_record_keys' -%}
        {{ return({'database': node.database, 'schema': node.schema}) }}
    {%- endfor -%}
    {{ return({'database': this.database, 'schema': this.schema}) }}
{%- endmacro %}

{% macro delete_when_read_whole(loads) -%}
    {#- The pre-hook of a dossier model: every row deleted when its incremental run reads
        every load (dossier_loads_to_read gave none): the run writes the table whole. -#}
    {%- if is_incremental() and loads is none -%}delete from {{ this }}{%- endif -%}
{%- endmacro %}
