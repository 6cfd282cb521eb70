-- The reporting system's indicators, one row per (load, indicator); cach_tong_hop mapped to
-- our aggregation. No rows (same columns) until the first load lands.
with source as (
    {%- if lake_has_files('reporting', 'chi_tieu') %}
    select * from {{ source('reporting', 'chi_tieu') }}
    {%- else %}
    select
        null::{{ dbt.type_string() }} as ma_chi_tieu, null::{{ dbt.type_string() }} as ten_chi_tieu, null::{{ dbt.type_string() }} as don_vi_tinh,
        null::{{ dbt.type_string() }} as ma_bo_chi_tieu, null::{{ dbt.type_string() }} as ky_bao_cao,
        null::{{ dbt.type_string() }} as cach_tong_hop, null::{{ dbt.type_string() }} as load_id, null::timestamp as _extracted_at,
        null::{{ dbt.type_string() }} as _source_ref
    where false
    {%- endif %}
),

renamed as (
    select
        -- ids
        ma_chi_tieu as indicator_code,
        ma_bo_chi_tieu as indicator_set_code,
        -- dimensions
        ten_chi_tieu as indicator_name,
        don_vi_tinh as unit,
        ky_bao_cao as period_kind,
        {{ reporting_period_type('ky_bao_cao') }} as period_type,
        cach_tong_hop as aggregation_rule,
        case cach_tong_hop
            when 'TONG' then 'sum'
            when 'CUOI_KY' then 'end_of_period'
            when 'TRUNG_BINH' then 'average'
            when 'TY_LE' then 'ratio'
        end as aggregation,
        -- lineage
        load_id,
        _extracted_at as extracted_at,
        _source_ref as source_ref
    from source
)

select * from renamed
