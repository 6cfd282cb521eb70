-- One row per dossier in its current state; no personal data beyond the owner's keyed hash.
-- Its record with the greatest updated_at (ties between loads: the newest extraction; two
-- different copies in one load, a conflict: the one received last, as staging's dedup keeps),
-- with the dossier rules applied (resolved, on time, closed_at, ...) and its unit placed
-- (admin_unit_key, province_code); and when it was first closed (first_closed_at, the least
-- update time of its closing records: int_dossier_versions tells revisions by it). One max()
-- per dossier over the raw records (base_dichvucong__ho_so) of a fixed-size key, then the
-- records holding it: no window, no
-- sort, and small aggregate states (a max_by of the whole record held ~0.5 kB per dossier and
-- spilled: 10x slower). Written once, here: the models that count dossiers read this table.
-- Incremental: a run reads only the load
-- folders holding records updated or extracted since what the table holds (told from the
-- Parquet footers, see loads_to_read) and rewrites only dossiers whose state moved forward
-- (a pre-hook moves the first close of the others earlier when a late record says so).
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
    pre_hook=[
        {"sql": "{{ newest_dossier_records(dossier_loads_to_read('NgayCapNhat')) }}", "transaction": false},
        "{{ delete_when_read_whole(dossier_loads_to_read('NgayCapNhat')) }}",
        "{{ update_first_closes(dossier_loads_to_read('NgayCapNhat')) }}"
    ],
    post_hook=[
        "{{ insert_dossier_parts(dossier_current_state, 'NgayCapNhat') }}",
        {"sql": "{{ drop_newest_dossier_records() }}", "transaction": false}
    ]
) }}
{#- Pass 1's table (macros/dossier_parts.sql) is written and dropped outside the model's
    transaction: it sits in the work database, and a DuckDB transaction writes to one
    database only (this table is in the served one). -#}
{%- set loads = dossier_loads_to_read('NgayCapNhat') %}
{{ dossier_current_state(loads, 0, dossier_parts(loads)) }}
