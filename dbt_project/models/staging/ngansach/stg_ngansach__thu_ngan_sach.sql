-- One row per row of every budget revenue file loaded: restated months and re-exported files
-- are kept (history); int_budget_revenue_restated picks the newest. No rows (same columns)
-- until the first file lands.
with source as (
    {%- if lake_has_files('ngansach', 'thu_ngan_sach') %}
    select * from {{ source('ngansach', 'thu_ngan_sach') }}
    {%- else %}
    select
        null::{{ dbt.type_string() }} as ky, null::date as ky_thang, null::{{ dbt.type_string() }} as ma_dvhc,
        null::{{ dbt.type_string() }} as cap_ngan_sach, null::{{ dbt.type_string() }} as ma_nhom_thu,
        null::{{ dbt.type_string() }} as ten_nhom_thu, null::double as luy_ke_thuc_hien,
        null::double as du_toan_nam, null::timestamp as ngay_lap, null::{{ dbt.type_string() }} as load_id,
        null::timestamp as _extracted_at, null::{{ dbt.type_string() }} as _source_ref
    where false
    {%- endif %}
),

renamed as (
    select
        -- ids
        ma_dvhc as admin_unit_code,
        ma_nhom_thu as revenue_group_code,
        -- dimensions
        ky as month_label,
        ky_thang::date as month_start,
        cap_ngan_sach as budget_level,
        ten_nhom_thu as revenue_group_name,
        -- numerics (million VND)
        luy_ke_thuc_hien as cumulative_revenue_mvnd,
        du_toan_nam as annual_estimate_mvnd,
        -- timestamps (naive local time)
        ngay_lap as prepared_at,
        -- lineage
        load_id,
        _extracted_at as extracted_at,
        _source_ref as source_ref
    from source
)

select * from renamed
