-- The procedure catalog as delivered by the latest catalog load (each load is a snapshot).
-- No rows (same columns) until the first load lands.
with source as (
    {%- if lake_has_files('dichvucong', 'thu_tuc') %}
    select * from {{ source('dichvucong', 'thu_tuc') }}
    {%- else %}
    select
        null::{{ dbt.type_string() }} as MaTTHC, null::{{ dbt.type_string() }} as TenTTHC, null::{{ dbt.type_string() }} as MaLinhVuc,
        null::{{ dbt.type_string() }} as CapThucHien, null::{{ dbt.type_string() }} as MucDo, null::{{ dbt.type_string() }} as load_id,
        null::timestamp as _extracted_at, null::{{ dbt.type_string() }} as _source_ref
    where false
    {%- endif %}
),

latest_load as (
    select load_id from source
    order by _extracted_at desc, load_id desc
    limit 1
),

renamed as (
    select
        -- ids
        MaTTHC as procedure_code,
        MaLinhVuc as field_code,
        -- dimensions
        TenTTHC as procedure_name,
        CapThucHien as implementation_level,
        MucDo as service_level,
        -- lineage
        load_id,
        _extracted_at as extracted_at,
        _source_ref as source_ref
    from source
    where load_id in (select load_id from latest_load)
)

select * from renamed
qualify row_number() over (partition by procedure_code order by source_ref) = 1
