-- The indicator sets, one row per (load, set): the catalog is pulled with every refresh.
-- No rows (same columns) until the first load lands.
with source as (
    {%- if lake_has_files('reporting', 'bo_chi_tieu') %}
    select * from {{ source('reporting', 'bo_chi_tieu') }}
    {%- else %}
    select
        null::{{ dbt.type_string() }} as ma_bo_chi_tieu, null::{{ dbt.type_string() }} as ten_bo_chi_tieu,
        null::{{ dbt.type_string() }} as ma_co_quan_chu_tri, null::{{ dbt.type_string() }} as ky_bao_cao,
        null::{{ dbt.type_string() }} as load_id, null::timestamp as _extracted_at, null::{{ dbt.type_string() }} as _source_ref
    where false
    {%- endif %}
),

renamed as (
    select
        -- ids
        ma_bo_chi_tieu as indicator_set_code,
        ma_co_quan_chu_tri as lead_agency_code,
        -- dimensions
        ten_bo_chi_tieu as indicator_set_name,
        ky_bao_cao as period_kind,
        {{ reporting_period_type('ky_bao_cao') }} as period_type,
        -- lineage
        load_id,
        _extracted_at as extracted_at,
        _source_ref as source_ref
    from source
)

select * from renamed
