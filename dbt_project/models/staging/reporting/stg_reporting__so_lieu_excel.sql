-- One row per (file load, indicator, area): the figure rows read from the Excel reports. A
-- resent file is a new load; int_excel_reports_latest keeps the newest file of a report.
-- No rows (same columns) until the first file lands.
with source as (
    {%- if lake_has_files('reporting', 'so_lieu_excel') %}
    -- loads landed before the arrival time was kept have no ngay_nhan_tep: null there
    {{ select_with_columns(source('reporting', 'so_lieu_excel'), {'ngay_nhan_tep': 'timestamp'}) }}
    {%- else %}
    select
        null::{{ dbt.type_string() }} as ten_tep, null::timestamp as ngay_nhan_tep, null::{{ dbt.type_string() }} as ma_don_vi, null::{{ dbt.type_string() }} as ma_bo_chi_tieu,
        null::{{ dbt.type_string() }} as ky_loai, null::integer as ky_nam, null::integer as ky_so,
        null::{{ dbt.type_string() }} as ma_dvhc, null::{{ dbt.type_string() }} as stt, null::{{ dbt.type_string() }} as ma_chi_tieu,
        null::{{ dbt.type_string() }} as ten_chi_tieu, null::{{ dbt.type_string() }} as don_vi_tinh, null::double as ke_hoach_nam,
        null::double as thuc_hien, null::double as luy_ke, null::double as so_cung_ky_pct,
        null::{{ dbt.type_string() }} as ghi_chu, null::{{ dbt.type_string() }} as load_id, null::timestamp as _extracted_at,
        null::{{ dbt.type_string() }} as _source_ref
    where false
    {%- endif %}
),

renamed as (
    select
        -- ids
        ten_tep as file_name,
        ma_don_vi as reporting_unit_code,
        ma_bo_chi_tieu as indicator_set_code,
        ma_chi_tieu as indicator_code,
        ma_dvhc as admin_unit_code,
        -- dimensions
        ky_loai as period_kind,
        ky_nam as period_year,
        ky_so as period_number,
        {{ reporting_period_columns('ky_loai', 'ky_nam', 'ky_so') }},
        stt as row_number_in_file,
        ten_chi_tieu as indicator_name,
        don_vi_tinh as unit,
        -- numerics
        ke_hoach_nam as plan_value,
        thuc_hien as actual_value,
        luy_ke as ytd_value,
        so_cung_ky_pct as pct_of_same_period_last_year,
        -- text
        ghi_chu as note,
        -- the file's arrival in the drop folder (its modification time; the sheet has no
        -- sending time), else when we read it
        coalesce(ngay_nhan_tep, _extracted_at) as received_at,
        -- lineage
        load_id,
        _extracted_at as extracted_at,
        _source_ref as source_ref
    from source
)

select * from renamed
