-- One row per indicator × admin unit × period: the table every leadership chart reads. A
-- figure belongs to the unit in force at its period's end: an old unit (before 2025-07-01) for
-- the periods that ended before the reform, as it reported them; today's unit for the periods
-- ending after it, over today's territory (a 2025 figure of new 56 covers old 56 and 58 from
-- January). plan_value comes from the source where it has one (budget revenue: the annual
-- estimate in force, so pct_of_plan is the share of the year's estimate collected).
{%- set reform = "date '" ~ var('admin_reform_date') ~ "'" %}
{{ indicator_value_rows(
    "rolled.admin_unit_key like '%@before_2025_07' or rolled.period_end >= " ~ reform) }}
