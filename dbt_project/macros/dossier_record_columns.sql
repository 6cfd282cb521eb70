{#- The dossier records' columns as the lake holds them, renamed (base_dichvucong__ho_so; a
    whole build's parts read the lake files with the same names, macros/dossier_parts.sql). -#}
{% macro dossier_record_columns() -%}
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
{%- endmacro %}
