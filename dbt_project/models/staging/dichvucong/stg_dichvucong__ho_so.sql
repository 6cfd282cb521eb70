-- One row per dossier state change; a record repeated by overlapping loads is kept once (the
-- latest extraction). Partitioning by (dossier_id, updated_at) lets a downstream filter on
-- updated_at reach the Parquet scan; one order key lets DuckDB dedupe by hash, not by sort.
with source as (
    select * from {{ source('dichvucong', 'ho_so') }}
),

renamed as (
    select
        -- ids
        MaHoSo as dossier_id,
        MaTTHC as procedure_code,
        MaLinhVuc as field_code,
        MaCoQuan as agency_code,
        MaDVHC as admin_unit_code,
        ChuHoSoHash as owner_hash,
        -- dimensions
        TenTTHC as procedure_name,
        TenLinhVuc as field_name,
        CapThucHien as implementation_level,
        KenhNop as channel,
        MucDo as service_level,
        TrangThai as status,
        ThanhToanTrucTuyen as is_paid_online,
        DaSoHoa as is_digitised,
        -- numerics
        PhiLePhi as fee_vnd,
        DanhGiaHaiLong::integer as satisfaction,
        -- timestamps (naive local time)
        NgayTiepNhan as received_at,
        NgayHenTra as due_at,
        NgayKetThucXuLy as resolved_at,
        NgayTraKetQua as returned_at,
        NgayCapNhat as updated_at,
        -- lineage
        load_id,
        _extracted_at as extracted_at,
        _source_ref as source_ref
    from source
)

select * from renamed
qualify row_number() over (partition by dossier_id, updated_at order by extracted_at desc) = 1
