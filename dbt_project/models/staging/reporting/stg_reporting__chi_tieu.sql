-- The reporting system's indicators, one row per (load, indicator); cach_tong_hop mapped to
-- our aggregation. No rows (same columns) until the first load lands.
with source as (
    {%- if lake_has_files('reporting', 'chi_tieu') %}
    select * from {{ source('reporting', 'chi_tieu') }}
    {%- else %}
    select
        null::varchar as ma_chi_tieu, null::varchar as ten_chi_tieu, null::varchar as don_vi_tinh,
        null::varchar as ma_bo_chi_tieu, null::varchar as ky_bao_cao,
        null::varchar as cach_tong_hop, null::varchar as load_id, null::timestamp as _extracted_at,
        null::varchar as _source_ref
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
