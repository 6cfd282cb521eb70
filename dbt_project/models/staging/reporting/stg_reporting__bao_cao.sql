-- One row per (load, report, version): every state a version was seen in (a version lands
-- again in a later window when its state changes); int_report_versions_latest keeps the newest.
-- No rows (same columns) until the first load lands.
with source as (
    {%- if lake_has_files('reporting', 'bao_cao') %}
    select * from {{ source('reporting', 'bao_cao') }}
    {%- else %}
    select
        null::{{ dbt.type_string() }} as ma_bao_cao, null::{{ dbt.type_string() }} as ma_bo_chi_tieu, null::{{ dbt.type_string() }} as ma_don_vi,
        null::{{ dbt.type_string() }} as ky_loai, null::integer as ky_nam, null::integer as ky_so,
        null::integer as phien_ban, null::{{ dbt.type_string() }} as trang_thai, null::date as han_gui,
        null::timestamp as ngay_gui, null::timestamp as ngay_cap_nhat, null::{{ dbt.type_string() }} as load_id,
        null::timestamp as _extracted_at, null::{{ dbt.type_string() }} as _source_ref
    where false
    {%- endif %}
),

renamed as (
    select
        -- ids
        ma_bao_cao as report_code,
        phien_ban as version,
        ma_bo_chi_tieu as indicator_set_code,
        ma_don_vi as reporting_unit_code,
        -- dimensions
        ky_loai as period_kind,
        ky_nam as period_year,
        ky_so as period_number,
        {{ reporting_period_columns('ky_loai', 'ky_nam', 'ky_so') }},
        trang_thai as state,
        -- dates and timestamps (naive local time)
        han_gui as due_date,
        ngay_gui as sent_at,
        ngay_cap_nhat as updated_at,
        -- lineage
        load_id,
        _extracted_at as extracted_at,
        _source_ref as source_ref
    from source
)

select * from renamed
