-- The budget revenue indicators (TNS_*) per reporting unit and month, in the long shape every
-- source feeds to fct_indicator_value: value = the month's flow, cumulative_value = the
-- cumulative from 1 January (periods from 1 January read it), plan_value = the annual estimate
-- in force. TNS_<group> is the group's own row; TNS_TONG = NOI_DIA + XNK + DAU_THO + VIEN_TRO,
-- only when every top-level group the budget level reports is there (a province reports all
-- four, districts and communes domestic revenue only). Rows whose unit code is not a unit of
-- the month's generation, or whose group code is unknown, are left out: the load's Great
-- Expectations suite has already flagged them (warning) in dq.dq_check_result.
{%- set reform = "date '" ~ var('admin_reform_date') ~ "'" %}
{%- set top_level_groups = ['NOI_DIA', 'XNK', 'DAU_THO', 'VIEN_TRO'] %}

with flows as (
    select * from {{ ref('int_budget_revenue_decumulated') }}
),

units as (
    select admin_unit_code, generation from {{ ref('int_admin_units_unioned') }}
),

catalog as (
    select indicator_code from {{ ref('indicators') }} where source = 'ngansach'
),

known as (
    select flows.*
    from flows
    inner join units
        on units.admin_unit_code = flows.admin_unit_code
        and units.generation = case when flows.month_start < {{ reform }}
            then 'before_2025_07' else 'from_2025_07' end
),

by_group as (
    select
        'TNS_' || revenue_group_code as indicator_code,
        admin_unit_code,
        month_start,
        flow_revenue_mvnd as value,
        cumulative_revenue_mvnd as cumulative_value,
        annual_estimate_mvnd as plan_value,
        load_id as source_load_id,
        prepared_at as source_updated_at
    from known
),

total as (
    select
        'TNS_TONG' as indicator_code,
        admin_unit_code,
        month_start,
        -- one unknown flow leaves the total unknown
        case when count(flow_revenue_mvnd) = count(*) then sum(flow_revenue_mvnd) end as value,
        sum(cumulative_revenue_mvnd) as cumulative_value,
        sum(annual_estimate_mvnd) as plan_value,
        {{ arg_max("load_id", "prepared_at") }} as source_load_id,
        max(prepared_at) as source_updated_at
    from known
    where revenue_group_code in ('{{ top_level_groups | join("', '") }}')
    group by admin_unit_code, budget_level, month_start
    having count(*) = case budget_level when 'TINH' then {{ top_level_groups | length }} else 1 end
),

unioned as (
    select * from by_group
    union all
    select * from total
)

select
    unioned.indicator_code,
    unioned.admin_unit_code,
    unioned.month_start,
    round(unioned.value, 2) as value,
    null::double as numerator,
    null::double as denominator,
    round(unioned.cumulative_value, 2) as cumulative_value,
    round(unioned.plan_value, 2) as plan_value,
    false as is_estimate,
    'ngansach' as source,
    unioned.source_load_id,
    unioned.source_updated_at
from unioned
inner join catalog using (indicator_code)
