-- The Decision 766/QĐ-TTg index per agency × month: points by group and in total, over the
-- points that could be measured that month (publicity is never measurable from dossiers).
with criteria as (
    select * from {{ ref('fct_public_service_index') }}
)

select
    month_start,
    period_label,
    agency_code,
    coalesce(sum(points) filter (where group_code = 'tien_do_ket_qua'), 0)::double
        as progress_points,
    coalesce(sum(points) filter (where group_code = 'so_hoa'), 0)::double as digitisation_points,
    coalesce(sum(points) filter (where group_code = 'dich_vu_truc_tuyen'), 0)::double
        as online_points,
    coalesce(sum(points) filter (where group_code = 'muc_do_hai_long'), 0)::double
        as satisfaction_points,
    coalesce(sum(points), 0)::double as total_points,
    sum(max_points) filter (where points is not null)::integer as measured_max_points,
    (100.0 * sum(points) / nullif(sum(max_points) filter (where points is not null), 0))::double
        as index_pct
from criteria
group by all
