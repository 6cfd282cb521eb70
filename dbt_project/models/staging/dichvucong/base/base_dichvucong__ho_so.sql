-- Every dossier record of the lake, renamed, repeats included (no dedup): what
-- stg_dichvucong__ho_so deduplicates and fct_dossier reduces with one
-- aggregation per dossier. A view; a filter on load_id (the load's folder) is pushed into
-- the Parquet scan as a file filter, so a reader of some loads opens only their files.
-- No rows (same columns) until the first load lands.
with source as (
    {%- if lake_has_files('dichvucong', 'ho_so') %}
    select * from {{ source('dichvucong', 'ho_so') }}
    {%- else %}
    select
        null::{{ dbt.type_string() }} as MaHoSo, null::{{ dbt.type_string() }} as MaTTHC, null::{{ dbt.type_string() }} as TenTTHC,
        null::{{ dbt.type_string() }} as MaLinhVuc, null::{{ dbt.type_string() }} as TenLinhVuc, null::{{ dbt.type_string() }} as MaCoQuan,
        null::{{ dbt.type_string() }} as CapThucHien, null::{{ dbt.type_string() }} as MaDVHC, null::{{ dbt.type_string() }} as KenhNop,
        null::{{ dbt.type_string() }} as MucDo, null::timestamp as NgayTiepNhan, null::timestamp as NgayHenTra,
        null::timestamp as NgayKetThucXuLy, null::timestamp as NgayTraKetQua,
        null::{{ dbt.type_string() }} as TrangThai, null::boolean as ThanhToanTrucTuyen, null::bigint as PhiLePhi,
        null::boolean as DaSoHoa, null::tinyint as DanhGiaHaiLong, null::{{ dbt.type_string() }} as ChuHoSoHash,
        null::timestamp as NgayCapNhat, null::{{ dbt.type_string() }} as load_id,
        null::timestamp as _extracted_at, null::{{ dbt.type_string() }} as _source_ref
    where false
    {%- endif %}
),

renamed as (
    select {{ dossier_record_columns() }}
    from source
)

select * from renamed
