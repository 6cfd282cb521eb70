-- One row per (load, report, version, indicator, area): the figures of every version as each
-- load saw them. No rows (same columns) until the first load lands.
with source as (
    {%- if lake_has_files('reporting', 'so_lieu') %}
    select * from {{ source('reporting', 'so_lieu') }}
    {%- else %}
    select
        null::{{ dbt.type_string() }} as ma_bao_cao, null::integer as phien_ban, null::{{ dbt.type_string() }} as ma_chi_tieu,
        null::{{ dbt.type_string() }} as ma_dvhc, null::double as thuc_hien, null::double as ke_hoach,
        null::double as tu_so, null::double as mau_so, null::{{ dbt.type_string() }} as ghi_chu,
        null::{{ dbt.type_string() }} as load_id, null::timestamp as _extracted_at, null::{{ dbt.type_string() }} as _source_ref
    where false
    {%- endif %}
),

renamed as (
    select
        -- ids
        ma_bao_cao as report_code,
        phien_ban as version,
        ma_chi_tieu as indicator_code,
        ma_dvhc as admin_unit_code,
        -- numerics
        thuc_hien as actual_value,
        ke_hoach as plan_value,
        tu_so as numerator,
        mau_so as denominator,
        -- text
        ghi_chu as note,
        -- lineage
        load_id,
        _extracted_at as extracted_at,
        _source_ref as source_ref
    from source
)

select * from renamed
