-- Every indicator value of every source for every period, once against the unit that reported
-- it and once against today's unit, keyed by admin_unit_key ('<code>@<generation>'):
--   * '<code>@before_2025_07': an old unit's figures as it reported them, for the periods
--     that ended before the 2025-07-01 reform;
--   * '<code>@from_2025_07': today's unit over its whole history, the months before the
--     reform read through the crosswalk (int_indicator_values_by_current_unit_month).
-- So a period spanning the reform (2025, 2025-9M, 2025-07-YTD…) is today's unit's over today's
-- territory, never old 56's first half added to new 56's second. Monthly figures roll up by
-- the indicator's aggregation (macro roll_up_months); figures reported per period join as
-- they are. plan_value: the plan in force at the period's last month that has one.
{%- set reform = "date '" ~ var('admin_reform_date') ~ "'" %}

{#- The CTEs as text: union_all_by_name reads their columns on Spark. -#}
{%- set inputs -%}
with reported_months as (
    select * from {{ ref('int_indicator_values_by_unit_month') }}
    where admin_unit_key like '%@before_2025_07'
),

current_months as (
    select * from {{ ref('int_indicator_values_by_current_unit_month') }}
)
{%- endset %}

{%- set branches -%}
{{ inputs }},

months as (
    {{ union_all_by_name(['reported_months', 'current_months'], inputs) }}
),

rolled as (
    {{ roll_up_months('months') }}
),

rolled_kept as (
    select * from rolled
    where admin_unit_key like '%@from_2025_07' or period_end < {{ reform }}
),

reported_periods as (
    select * except (unit_aggregation) from {{ ref('int_indicator_values_by_unit_period') }}
    where admin_unit_key like '%@before_2025_07' and period_end < {{ reform }}
),

current_periods as (
    select * except (unit_aggregation) from {{ ref('int_indicator_values_by_current_unit_period') }}
)
{%- endset %}

{{ branches }}

{{ union_all_by_name(['rolled_kept', 'reported_periods', 'current_periods'], branches) }}
