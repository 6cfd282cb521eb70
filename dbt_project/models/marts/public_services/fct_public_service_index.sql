-- The Decision 766/QĐ-TTg index per agency × month × criterion, from the dossiers: each
-- measurable criterion's rate over all of the agency's units, and its points.
with agency_months as (
    select
        month_start,
        period_label,
        agency_code,
        sum(received) as received,
        sum(received_online) as received_online,
        sum(received_digitised) as received_digitised,
        sum(received_with_fee) as received_with_fee,
        sum(paid_online) as paid_online,
        sum(resolved) as resolved,
        sum(resolved_on_time) as resolved_on_time,
        sum(rated) as rated,
        sum(rated_satisfied) as rated_satisfied
    from {{ ref('agg_public_service_month') }}
    group by all
),

criteria as (
    select * from {{ ref('service_index_766') }}
),

measured as (
    select
        m.month_start,
        m.period_label,
        m.agency_code,
        c.group_code,
        c.group_name_vi,
        c.group_points,
        c.criterion_code,
        c.criterion_name_vi,
        c.points as max_points,
        c.full_points_at_pct,
        c.numerator is not null as is_measurable,
        case c.numerator
            when 'resolved_on_time' then m.resolved_on_time
            when 'received_digitised' then m.received_digitised
            when 'received_online' then m.received_online
            when 'paid_online' then m.paid_online
            when 'rated_satisfied' then m.rated_satisfied
        end as numerator,
        case c.denominator
            when 'resolved' then m.resolved
            when 'received' then m.received
            when 'received_with_fee' then m.received_with_fee
            when 'rated' then m.rated
        end as denominator
    from agency_months as m
    cross join criteria as c
),

rated as (
    select *, 100.0 * numerator / nullif(denominator, 0) as rate_pct from measured
)

select
    month_start::date as month_start,
    period_label::{{ dbt.type_string() }} as period_label,
    agency_code::{{ dbt.type_string() }} as agency_code,
    group_code::{{ dbt.type_string() }} as group_code,
    group_name_vi::{{ dbt.type_string() }} as group_name_vi,
    group_points::integer as group_points,
    criterion_code::{{ dbt.type_string() }} as criterion_code,
    criterion_name_vi::{{ dbt.type_string() }} as criterion_name_vi,
    max_points::integer as max_points,
    numerator::bigint as numerator,
    denominator::bigint as denominator,
    rate_pct::double as rate_pct,
    -- null when the criterion cannot be measured, or had nothing to measure this month
    -- (DuckDB's least() skips nulls: the case keeps them null)
    case
        when rate_pct is not null
            then round(max_points * least(rate_pct / full_points_at_pct, 1.0), 4)
    end::double as points,
    is_measurable::boolean as is_measurable
from rated
