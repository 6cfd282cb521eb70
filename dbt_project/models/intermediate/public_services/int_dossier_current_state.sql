-- The current state of every dossier: its record with the greatest updated_at (ties between
-- loads: the newest extraction; two different copies in one load, a conflict: the one
-- received last, as staging's dedup keeps), with the dossier rules applied
-- (resolved, on time, closed_at, ...). One max() per dossier over the raw records
-- (base_dichvucong__ho_so) of a fixed-size key, then the records holding it: no window, no
-- sort, and small aggregate states (a max_by of the whole record held ~0.5 kB per dossier and
-- spilled: 10x slower). Incremental: a run reads only the load
-- folders holding records updated or extracted since what the table holds (told from the
-- Parquet footers, see loads_to_read) and rewrites only dossiers whose state moved forward.
-- Whole when a load came again without a record it had (dossier_loads_to_read); a whole
-- build reads the records in two passes, the second in parts (macros/dossier_parts.sql). The SQL:
-- macros/dossier_current_state.sql.
{#- On Spark a table rebuilt whole: its Parquet tables cannot delete+insert (that needs Delta
    Lake, whose jars Spark fetches from Maven at start-up). -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    unique_key='dossier_id',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns',
    pre_hook="{% set loads = dossier_loads_to_read('NgayCapNhat') %}{{ delete_when_read_whole(loads) }}{{ ';' if is_incremental() and loads is none }} {{ newest_dossier_records(loads) }}",
    post_hook="{{ insert_dossier_parts(dossier_current_state, 'NgayCapNhat') }}"
) }}
{%- set loads = dossier_loads_to_read('NgayCapNhat') %}
{{ dossier_current_state(loads, 0, dossier_parts(loads)) }}
