-- Nothing vanishes in a join: per exam year, the candidates counted in GD_THI_SINH_DU_THI plus
-- those of the unplaced results are every standing result's. One row per exam year short.
{{ config(meta={'dimension': 'du'}) }}
with standing as (
    select exam_year::{{ dbt.type_string() }} as period_label, sum(candidates) as candidates
    from {{ ref('int_exam_results_latest') }}
    group by exam_year
),

counted as (
    select period_label, sum(actual_value) as candidates
    from {{ ref('int_education_indicators_by_unit_period') }}
    where indicator_code = 'GD_THI_SINH_DU_THI' and admin_level = 'province'
    group by period_label
),

unplaced as (
    select results.exam_year::{{ dbt.type_string() }} as period_label, sum(results.candidates) as candidates
    from {{ ref('int_exam_results_latest') }} as results
    inner join {{ ref('int_education_records_unplaced') }} as u
        on u.dataset = 'giaoduc.ket_qua_tot_nghiep'
        and u.period_label = results.exam_year::{{ dbt.type_string() }}
        and u.record_key = results.school_id
    group by results.exam_year
)

select standing.period_label, standing.candidates, counted.candidates as counted,
    unplaced.candidates as unplaced
from standing
left join counted using (period_label)
left join unplaced using (period_label)
where coalesce(standing.candidates, 0)
    <> coalesce(counted.candidates, 0) + coalesce(unplaced.candidates, 0)
