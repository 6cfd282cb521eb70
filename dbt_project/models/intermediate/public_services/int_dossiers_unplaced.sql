-- The dossiers nothing places: a unit code no list knows, or one that has no province in the
-- generation of the month the dossier was received (before or from 2025-07-01). They stay in
-- fct_dossier and out of the province indicators (int_dossier_indicators_by_province_month),
-- and are kept for stewards (dq.dq_unplaced_record) instead of falling out of a join.
{%- set reform = "timestamp '" ~ var('admin_reform_date') ~ "'" %}

select
    'dichvucong' as source,
    'dichvucong.ho_so' as dataset,
    {{ format_date("received_at", "%Y-%m") }} as period_label,
    dossier_id as record_key,
    'Mã đơn vị hành chính ' || coalesce(
            -- the unit at receipt: before the reform, as the last record before it named it
            case when received_at < {{ reform }}
                then coalesce(admin_unit_code_before_reform, admin_unit_code)
                else admin_unit_code end,
            '(trống)')
        || ' của hồ sơ không thuộc tỉnh nào trong danh mục đơn vị '
        || case when received_at < {{ reform }} then 'trước' else 'từ' end
        || ' ngày 01/7/2025.' as reason,
    load_id,
    source_ref as raw_location
-- province_code: the unit at receipt's province in the generation of the month received
from {{ ref('fct_dossier') }}
where province_code is null
