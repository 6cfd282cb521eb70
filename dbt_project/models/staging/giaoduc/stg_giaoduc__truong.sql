-- One row per (load, school): every snapshot of every school year is kept; the school year is
-- the load's (truong_<2023_2024>__asof_<date>). No rows until the first load lands.
with source as (
    {%- if lake_has_files('giaoduc', 'truong') %}
    select * from {{ source('giaoduc', 'truong') }}
    {%- else %}
    select
        null::{{ dbt.type_string() }} as ma_truong, null::{{ dbt.type_string() }} as ten_truong, null::{{ dbt.type_string() }} as cap_hoc,
        null::{{ dbt.type_string() }} as loai_hinh, null::{{ dbt.type_string() }} as ma_dvhc, null::bigint as so_lop,
        null::bigint as so_hoc_sinh, null::bigint as so_hoc_sinh_nu,
        null::bigint as so_giao_vien, null::bigint as so_giao_vien_dat_chuan,
        null::timestamp as ngay_cap_nhat, null::{{ dbt.type_string() }} as load_id,
        null::timestamp as _extracted_at, null::{{ dbt.type_string() }} as _source_ref
    where false
    {%- endif %}
),

renamed as (
    select
        -- ids
        ma_truong as school_id,
        ma_dvhc as admin_unit_code,
        -- dimensions
        replace(regexp_extract(load_id, '^truong_([0-9]{4}_[0-9]{4})__', 1), '_', '-') as school_year,
        ten_truong as school_name,
        cap_hoc as school_level,
        loai_hinh as ownership,
        -- numerics
        so_lop as classes,
        so_hoc_sinh as pupils,
        so_hoc_sinh_nu as female_pupils,
        so_giao_vien as teachers,
        so_giao_vien_dat_chuan as qualified_teachers,
        -- timestamps (naive local time)
        ngay_cap_nhat as updated_at,
        -- lineage
        load_id,
        _extracted_at as extracted_at,
        _source_ref as source_ref
    from source
)

select * from renamed
