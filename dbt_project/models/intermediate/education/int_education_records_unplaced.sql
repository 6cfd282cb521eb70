-- The standing education records nothing places, kept for stewards (dq.dq_unplaced_record)
-- instead of falling out of a join: a school whose commune code no unit list of its school
-- year's generation knows, and an exam result of a school that is in no school list of the
-- school year the exam ends (or that list could not place).
{%- set reform = "date '" ~ var('admin_reform_date') ~ "'" %}

with schools as (
    select * from {{ ref('int_school_figures_placed') }}
),

results as (
    select * from {{ ref('int_exam_results_latest') }}
),

unplaced_schools as (
    select
        'giaoduc.truong' as dataset,
        school_year as period_label,
        school_id as record_key,
        'Mã đơn vị hành chính ' || coalesce(admin_unit_code, '(trống)')
            || ' của trường không thuộc danh mục đơn vị '
            || case when is_before_reform then 'trước' else 'từ' end
            || ' ngày 01/7/2025 (năm học ' || school_year || ').' as reason,
        load_id,
        source_ref as raw_location
    from schools
    where province_code is null
),

unplaced_results as (
    select
        'giaoduc.ket_qua_tot_nghiep' as dataset,
        results.exam_year::{{ dbt.type_string() }} as period_label,
        results.school_id as record_key,
        case when schools.school_id is null
            then 'Trường ' || results.school_id || ' không có trong danh sách trường năm học '
                || (results.exam_year - 1) || '-' || results.exam_year || '.'
            else 'Trường ' || results.school_id || ' chưa xác định được tỉnh (mã đơn vị '
                || coalesce(schools.admin_unit_code, '(trống)') || ').'
        end as reason,
        results.load_id,
        results.source_ref as raw_location
    from results
    left join schools
        on schools.school_id = results.school_id and schools.end_year = results.exam_year
    where schools.province_code is null
        or (make_date(results.exam_year, 12, 31) >= {{ reform }}
            and schools.province_code_today is null)
)

select 'giaoduc' as source, * from unplaced_schools
union all
select 'giaoduc' as source, * from unplaced_results
