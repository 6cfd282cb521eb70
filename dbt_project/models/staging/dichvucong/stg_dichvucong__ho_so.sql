-- One row per dossier state change; a record repeated by overlapping loads is kept once (the
-- latest extraction), and of two different copies in one load (a conflict, counted in
-- dq.dq_revision) the one received last (macros/versions.sql). Partitioning by (dossier_id, updated_at) lets a downstream filter on
-- updated_at reach the Parquet scan; one order key lets DuckDB dedupe by hash, not by sort.
-- No rows (same columns) until the first load lands.
select * from {{ ref('base_dichvucong__ho_so') }}
qualify row_number() over (partition by dossier_id, updated_at order by extracted_at desc, {{ received_last('source_ref') }}) = 1
