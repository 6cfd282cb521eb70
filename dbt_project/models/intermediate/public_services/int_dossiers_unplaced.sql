-- The dossiers nothing places: a unit code no list knows, or one that has no province in the
-- generation of the month the dossier was received (before or from 2025-07-01). They stay in
-- fct_dossier and out of the province indicators (int_dossier_indicators_by_province_month),
-- and are kept for stewards (dq.dq_unplaced_record) instead of falling out of a join.
{%- set reform = "timestamp '" ~ var('admin_reform_date') ~ "'" %}

with dossiers as (
    select
        dossier_id,
        -- the unit at receipt: before the reform, as the last record before it named it
        case when received_at < {{ reform }}
            then coalesce(admin_unit_code_before_reform, admin_unit_code)
            else admin_unit_code end as admin_unit_code,
        received_at,
        load_id,
        source_ref
    from {{ ref('int_dossier_current_state') }}
),

units as (
    select * from {{ ref('int_admin_units_mapped_to_province') }}
)

select
    'dichvucong' as source,
    'dichvucong.ho_so' as dataset,
    {{ format_date("dossiers.received_at", "%Y-%m") }} as period_label,
    dossiers.dossier_id as record_key,
    'Mã đơn vị hành chính ' || coalesce(dossiers.admin_unit_code, '(trống)')
        || ' của hồ sơ không thuộc tỉnh nào trong danh mục đơn vị '
        || case when dossiers.received_at < {{ reform }} then 'trước' else 'từ' end
        || ' ngày 01/7/2025.' as reason,
    dossiers.load_id,
    dossiers.source_ref as raw_location
from dossiers
left join units on units.admin_unit_code = dossiers.admin_unit_code
where case when dossiers.received_at < {{ reform }} then units.province_code_before_reform
    else units.province_code_after_reform end is null
