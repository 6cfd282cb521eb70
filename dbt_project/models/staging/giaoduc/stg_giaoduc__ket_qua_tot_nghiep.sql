-- One row per (load, school) of the graduation exam results; the exam year is the load's
-- (ket_qua_<year>__asof_<date>). No rows until the first load lands.
with source as (
    {%- if lake_has_files('giaoduc', 'ket_qua_tot_nghiep') %}
    select * from {{ source('giaoduc', 'ket_qua_tot_nghiep') }}
    {%- else %}
    select
        null::{{ dbt.type_string() }} as ma_truong, null::bigint as thi_sinh_du_thi,
        null::bigint as thi_sinh_tot_nghiep, null::{{ dbt.type_string() }} as load_id,
        null::timestamp as _extracted_at, null::{{ dbt.type_string() }} as _source_ref
    where false
    {%- endif %}
),

renamed as (
    select
        -- ids
        ma_truong as school_id,
        -- dimensions
        regexp_extract(load_id, '^ket_qua_([0-9]{4})__', 1)::integer as exam_year,
        -- numerics
        thi_sinh_du_thi as candidates,
        thi_sinh_tot_nghiep as graduates,
        -- lineage
        load_id,
        _extracted_at as extracted_at,
        _source_ref as source_ref
    from source
)

select * from renamed
