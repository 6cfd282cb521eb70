-- One row per (load, month, area, figure type): estimates and the official figures that
-- replace them are all kept (history); int_tourism_figures_latest picks the newest.
-- No rows (same columns) until the first load lands.
with source as (
    {%- if lake_has_files('dulich', 'thong_ke_thang') %}
    select * from {{ source('dulich', 'thong_ke_thang') }}
    {%- else %}
    select
        null::{{ dbt.type_string() }} as ky, null::{{ dbt.type_string() }} as ma_dvhc, null::{{ dbt.type_string() }} as loai_so_lieu,
        null::bigint as tong_luot_khach, null::bigint as khach_quoc_te,
        null::bigint as khach_noi_dia, null::bigint as khach_luu_tru,
        null::bigint as ngay_khach_luu_tru, null::double as doanh_thu_ty_dong,
        null::double as cong_suat_phong_pct, null::bigint as so_co_so_luu_tru,
        null::timestamp as ngay_cong_bo, null::{{ dbt.type_string() }} as load_id,
        null::timestamp as _extracted_at, null::{{ dbt.type_string() }} as _source_ref
    where false
    {%- endif %}
),

renamed as (
    select
        -- ids
        ma_dvhc as admin_unit_code,
        -- dimensions
        ky as month_label,
        cast(ky || '-01' as date) as month_start,
        loai_so_lieu as figure_type,
        loai_so_lieu = 'UOC_TINH' as is_estimate,
        -- numerics
        tong_luot_khach as total_visitors,
        khach_quoc_te as international_visitors,
        khach_noi_dia as domestic_visitors,
        khach_luu_tru as overnight_guests,
        ngay_khach_luu_tru as guest_nights,
        doanh_thu_ty_dong as revenue_bn_vnd,
        cong_suat_phong_pct as room_occupancy_pct,
        so_co_so_luu_tru as accommodation_establishments,
        -- timestamps (naive local time)
        ngay_cong_bo as published_at,
        -- lineage
        load_id,
        _extracted_at as extracted_at,
        _source_ref as source_ref
    from source
)

select * from renamed
