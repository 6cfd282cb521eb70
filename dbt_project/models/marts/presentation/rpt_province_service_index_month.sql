-- The Decision 766/QĐ-TTg index of each province by month, side by side: the dossiers of
-- every unit of the province (today's province: a unit before the 2025 reform counts with
-- the province that succeeded its old province) summed, each measurable criterion's rate and
-- points from those sums (service_index_766), the groups' and total points, the index over
-- what could be measured, and the province's rank among the provinces that month (1 = best).
with province_months as (
    select
        s.month_start,
        s.period_label,
        units.province_code_after_reform as province_code,
        sum(s.received) as received,
        sum(s.received_online) as received_online,
        sum(s.received_digitised) as received_digitised,
        sum(s.received_with_fee) as received_with_fee,
        sum(s.paid_online) as paid_online,
        sum(s.resolved) as resolved,
        sum(s.resolved_on_time) as resolved_on_time,
        sum(s.rated) as rated,
        sum(s.rated_satisfied) as rated_satisfied
    from {{ ref('agg_public_service_month') }} as s
    inner join {{ ref('int_admin_units_mapped_to_province') }} as units
        on units.admin_unit_code = s.admin_unit_code
    group by all
),

measured as (
    select
        m.month_start,
        m.period_label,
        m.province_code,
        m.received,
        c.group_code,
        c.points as max_points,
        c.full_points_at_pct,
        100.0 * (case c.numerator
            when 'resolved_on_time' then m.resolved_on_time
            when 'received_digitised' then m.received_digitised
            when 'received_online' then m.received_online
            when 'paid_online' then m.paid_online
            when 'rated_satisfied' then m.rated_satisfied
        end) / nullif(case c.denominator
            when 'resolved' then m.resolved
            when 'received' then m.received
            when 'received_with_fee' then m.received_with_fee
            when 'rated' then m.rated
        end, 0) as rate_pct
    from province_months as m
    cross join {{ ref('service_index_766') }} as c
),

pointed as (
    select
        *,
        case
            when rate_pct is not null
                then round(max_points * least(rate_pct / full_points_at_pct, 1.0), 4)
        end as points
    from measured
),

indexed as (
    select
        month_start,
        period_label,
        province_code,
        max(received) as received,
        coalesce(sum(points) filter (where group_code = 'tien_do_ket_qua'), 0) as progress_points,
        coalesce(sum(points) filter (where group_code = 'so_hoa'), 0) as digitisation_points,
        coalesce(sum(points) filter (where group_code = 'dich_vu_truc_tuyen'), 0)
            as online_points,
        coalesce(sum(points) filter (where group_code = 'muc_do_hai_long'), 0)
            as satisfaction_points,
        coalesce(sum(points), 0) as total_points,
        sum(max_points) filter (where points is not null) as measured_max_points,
        100.0 * sum(points) / nullif(sum(max_points) filter (where points is not null), 0)
            as index_pct
    from pointed
    group by month_start, period_label, province_code
)

select
    x.month_start::date as month_start,
    x.period_label::{{ dbt.type_string() }} as period_label,
    x.province_code::{{ dbt.type_string() }} as province_code,
    u.name_vi::{{ dbt.type_string() }} as province_name,
    x.received::bigint as received,
    x.progress_points::double as progress_points,
    x.digitisation_points::double as digitisation_points,
    x.online_points::double as online_points,
    x.satisfaction_points::double as satisfaction_points,
    x.total_points::double as total_points,
    x.measured_max_points::integer as measured_max_points,
    x.index_pct::double as index_pct,
    case when x.index_pct is not null then rank() over (
        partition by x.month_start, x.index_pct is null order by x.index_pct desc
    ) end::integer as rank_among_provinces,
    count(x.index_pct) over (partition by x.month_start)::integer as provinces_ranked,
    (x.month_start = max(x.month_start) over ())::boolean as is_latest_month
from indexed as x
left join {{ ref('dim_admin_unit') }} as u
    on u.admin_unit_code = x.province_code and u.level = 'province'
    and u.generation = 'from_2025_07'
