-- Every version of a record that came after its first, per source: a revision (a newer
-- publication or update time: it replaced the figure that stood) or a conflict (another
-- content with the same time: the latest-models' documented rule chose, see
-- macros/versions.sql). The lake keeps every version; identical figures are one version
-- (a republication that changes nothing is a repeat), dated by their first publication.
-- `change`: the headline figure's difference from the version before (stewards see by how
-- much a load revised what stood). Estimates replaced by official figures are the normal
-- course of tourism statistics, not revisions: the figure type is part of the record.
-- Every branch has the same columns in the same order (record_versions, dossier_versions).
with versions as (
    {{ record_versions(
        'dulich.thong_ke_thang', ref('stg_dulich__thong_ke_thang'),
        key=['month_label', 'admin_unit_code', 'figure_type'],
        content=['total_visitors', 'international_visitors', 'domestic_visitors',
            'overnight_guests', 'guest_nights', 'revenue_bn_vnd', 'room_occupancy_pct',
            'accommodation_establishments'],
        time='published_at', measure='total_visitors', period_label='month_label') }}
    union all
    {{ record_versions(
        'giaoduc.truong', ref('stg_giaoduc__truong'),
        key=['school_year', 'school_id'],
        content=['admin_unit_code', 'school_name', 'school_level', 'ownership', 'classes',
            'pupils', 'female_pupils', 'teachers', 'qualified_teachers'],
        time='updated_at', measure='pupils', period_label='school_year') }}
    union all
    {{ record_versions(
        'giaoduc.ket_qua_tot_nghiep', ref('stg_giaoduc__ket_qua_tot_nghiep'),
        key=['exam_year', 'school_id'], content=['candidates', 'graduates'],
        time='extracted_at', measure='candidates', period_label='exam_year') }}
    union all
    {{ record_versions(
        'ngansach.thu_ngan_sach', ref('stg_ngansach__thu_ngan_sach'),
        key=['month_label', 'admin_unit_code', 'budget_level', 'revenue_group_code'],
        content=['revenue_group_name', 'cumulative_revenue_mvnd', 'annual_estimate_mvnd'],
        time='prepared_at', measure='cumulative_revenue_mvnd', period_label='month_label') }}
    union all
    -- reports over the API: the figures of every approved copy of a report (a report resent
    -- with a higher phien_ban and approved again; an older or conflicting copy in a page)
    {{ record_versions(
        'reporting.so_lieu',
        '(select * from ' ~ ref('int_reporting_figure_copies') ~ " where copy_state = 'DA_DUYET')",
        key=['reporting_unit_code', 'indicator_set_code', 'period_label', 'indicator_code',
            'admin_unit_code'],
        content=['actual_value', 'plan_value', 'numerator', 'denominator'],
        time='copy_updated_at', measure='actual_value', period_label='period_label') }}
    union all
    -- reports as Excel files: a file resent (a newer arrival in the drop folder) with other
    -- figures; a figure row twice in one file is a conflict (the later row stands)
    {{ record_versions(
        'reporting.so_lieu_excel', ref('stg_reporting__so_lieu_excel'),
        key=['reporting_unit_code', 'indicator_set_code', 'period_label', 'indicator_code',
            'admin_unit_code'],
        content=['actual_value', 'plan_value', 'ytd_value'],
        time='received_at', measure='actual_value', period_label='period_label') }}
    union all
    {{ dossier_versions() }}
)

select
    split_part(dataset, '.', 1)::{{ dbt.type_string() }} as source,
    dataset::{{ dbt.type_string() }} as dataset,
    period_label::{{ dbt.type_string() }} as period_label,
    record_key::{{ dbt.type_string() }} as record_key,
    kind::{{ dbt.type_string() }} as kind,
    version_time::timestamp as version_time,
    previous_value::double as previous_value,
    value::double as value,
    change::double as change,
    load_id::{{ dbt.type_string() }} as load_id,
    raw_location::{{ dbt.type_string() }} as raw_location
from versions
