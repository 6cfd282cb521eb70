-- Monthly revenue flows from the cumulative figures (flow_basis says how, see the docs block
-- ngansach_flow_basis). flow = this month's cumulative − the previous month's of the same unit, budget
-- level and group; January's flow is its cumulative. In the reform month the codes change
-- generation (the date decides, never the code): a province subtracts the June cumulatives of
-- the old provinces merged into it; a new commune's books start then. A previous month that
-- never arrived leaves the flow null (flow_basis = previous_month_missing), never guessed.
{%- set reform = "date '" ~ var('admin_reform_date') ~ "'" %}

with restated as (
    select * from {{ ref('int_budget_revenue_restated') }}
),

merged_provinces as (
    select new_province_code, old_province_code from {{ ref('province_crosswalk_2025') }}
),

predecessors as (
    -- the reform month of a province: its predecessors' June cumulatives, all of them or none
    select
        merged_provinces.new_province_code as admin_unit_code,
        june.revenue_group_code,
        sum(june.cumulative_revenue_mvnd) as cumulative_revenue_mvnd,
        count(*) = any_value(expected.provinces) as is_complete
    from merged_provinces
    inner join restated as june
        on june.admin_unit_code = merged_provinces.old_province_code
        and june.budget_level = 'TINH'
        and june.month_start = ({{ reform }} - interval 1 month)::date
    inner join (
        select new_province_code, count(*) as provinces from merged_provinces group by all
    ) as expected using (new_province_code)
    group by all
),

based as (
    select
        restated.*,
        case
            when month(restated.month_start) = 1 then 'january'
            when restated.month_start = {{ reform }} and restated.budget_level <> 'TINH'
                then 'new_unit_start'
            when restated.month_start = {{ reform }} and predecessors.is_complete
                then 'predecessor_provinces'
            when restated.month_start <> {{ reform }} and previous.month_start is not null
                then 'previous_month'
            else 'previous_month_missing'
        end as flow_basis,
        case when restated.month_start = {{ reform }} then predecessors.cumulative_revenue_mvnd
            else previous.cumulative_revenue_mvnd end as previous_cumulative_revenue_mvnd
    from restated
    left join restated as previous
        on previous.admin_unit_code = restated.admin_unit_code
        and previous.budget_level = restated.budget_level
        and previous.revenue_group_code = restated.revenue_group_code
        and previous.month_start = (restated.month_start - interval 1 month)::date
    left join predecessors
        on restated.month_start = {{ reform }}
        and restated.budget_level = 'TINH'
        and predecessors.admin_unit_code = restated.admin_unit_code
        and predecessors.revenue_group_code = restated.revenue_group_code
)

select
    * except (previous_cumulative_revenue_mvnd),
    -- amounts carry 2 decimals at most: rounding drops the float noise of the difference
    case
        when flow_basis in ('january', 'new_unit_start') then cumulative_revenue_mvnd
        when flow_basis in ('previous_month', 'predecessor_provinces')
            then round(cumulative_revenue_mvnd - previous_cumulative_revenue_mvnd, 2)
    end as flow_revenue_mvnd
from based
