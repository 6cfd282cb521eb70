-- Public-service figures per month × agency × admin unit (the dossier's own unit code).
-- Percentages are 0–100 and null when their denominator is 0.
with counts as (
    select * from {{ ref('int_dossiers_counted_by_month') }}
)

select
    month_start,
    {{ format_date("month_start", "%Y-%m") }} as period_label,
    agency_code,
    admin_unit_code,
    received,
    received_online,
    100.0 * received_online / nullif(received, 0) as online_pct,
    received_digitised,
    100.0 * received_digitised / nullif(received, 0) as digitised_pct,
    received_with_fee,
    paid_online,
    100.0 * paid_online / nullif(received_with_fee, 0) as paid_online_pct,
    resolved,
    resolved_on_time,
    100.0 * resolved_on_time / nullif(resolved, 0) as on_time_pct,
    rated,
    rated_satisfied,
    100.0 * rated_satisfied / nullif(rated, 0) as satisfaction_pct,
    overdue_open
from counts
