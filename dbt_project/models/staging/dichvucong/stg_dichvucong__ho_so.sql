-- One row per dossier state change; a record repeated by overlapping loads is kept once (the
-- latest extraction). Partitioning by (dossier_id, updated_at) lets a downstream filter on
-- updated_at reach the Parquet scan; one order key lets DuckDB dedupe by hash, not by sort.
-- No rows (same columns) until the first load lands.
select * from {{ ref('base_dichvucong__ho_so') }}
qualify row_number() over (partition by dossier_id, updated_at order by extracted_at desc) = 1
