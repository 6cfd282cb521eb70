-- The monthly figures of every source read against today's units: each figure of an old unit
-- goes to its successor through the 2025 crosswalk (int_admin_units_mapped_to_current) and the
-- figures landing on one unit and month combine by the indicator's unit_aggregation (full
-- merges summed, ratios from summed numerators and denominators). A split old unit's figures
-- are not moved; its successors' rows say so (is_partial_split). From the reform on, today's
-- units report themselves and pass unchanged. units_combined: how many units moved whole.
with months as (
    select * from {{ ref('int_indicator_values_by_unit_month') }}
),

mapped as (
    select
        months.* except (admin_unit_code, is_partial_split, units_combined),
        units.current_admin_unit_code,
        units.is_partial_split
    from months
    inner join {{ ref('int_admin_units_mapped_to_current') }} as units using (admin_unit_key)
)

select
    indicator_code,
    current_admin_unit_code as admin_unit_code,
    current_admin_unit_code || '@from_2025_07' as admin_unit_key,
    month_start,
    figure_period_type,
    aggregation,
    unit_aggregation,
    {{ combined_across_units('value', 'numerator', 'denominator') }} as value,
    {{ summed_across_units('numerator') }} as numerator,
    {{ summed_across_units('denominator') }} as denominator,
    {{ combined_across_units('cumulative_value') }} as cumulative_value,
    {{ combined_across_units('plan_value') }} as plan_value,
    bool_or(is_estimate) as is_estimate,
    bool_or(is_partial_split) as is_partial_split,
    count(*) filter (where not is_partial_split) as units_combined,
    any_value(source) as source,
    {{ arg_max("source_load_id", "source_updated_at") }} as source_load_id,
    max(source_updated_at) as source_updated_at
from mapped
group by indicator_code, current_admin_unit_code, month_start, figure_period_type, aggregation,
    unit_aggregation
