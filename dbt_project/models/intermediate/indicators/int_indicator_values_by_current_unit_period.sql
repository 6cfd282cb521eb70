-- The per-period figures (int_indicator_values_by_unit_period) read against today's units,
-- combined as the monthly ones are (int_indicator_values_by_current_unit_month). Where both
-- generations report the same period for one of today's units, the generation the period
-- belongs to (by its end: before or from 2025-07-01) wins, combined whole: a late figure of
-- the other generation (a correction sent after the reform) never replaces it.
{%- set reform = "date '" ~ var('admin_reform_date') ~ "'" %}
with figures as (
    select * from {{ ref('int_indicator_values_by_unit_period') }}
),

mapped as (
    select
        figures.* except (admin_unit_code, is_partial_split, units_combined),
        split_part(figures.admin_unit_key, '@', 2) as generation,
        units.current_admin_unit_code,
        units.is_partial_split
    from figures
    inner join {{ ref('int_admin_units_mapped_to_current') }} as units using (admin_unit_key)
)

select
    indicator_code,
    current_admin_unit_code as admin_unit_code,
    current_admin_unit_code || '@from_2025_07' as admin_unit_key,
    period_type,
    period_label,
    period_start,
    period_end,
    period_label_last_year,
    aggregation,
    unit_aggregation,
    {{ combined_across_units('actual_value', 'numerator', 'denominator') }} as actual_value,
    {{ summed_across_units('numerator') }} as numerator,
    {{ summed_across_units('denominator') }} as denominator,
    {{ combined_across_units('plan_value') }} as plan_value,
    max(last_data_month) as last_data_month,
    bool_or(is_partial_period) as is_partial_period,
    bool_or(is_estimate) as is_estimate,
    bool_or(is_partial_split) as is_partial_split,
    count(*) filter (where not is_partial_split) as units_combined,
    any_value(source) as source,
    max(source_load_id) as source_load_id
from mapped
group by indicator_code, current_admin_unit_code, period_type, period_label, period_start,
    period_end, period_label_last_year, aggregation, unit_aggregation, generation
qualify row_number() over (
    partition by indicator_code, current_admin_unit_code, period_type, period_label
    order by (generation = case when period_end < {{ reform }}
        then 'before_2025_07' else 'from_2025_07' end) desc, generation desc
) = 1
