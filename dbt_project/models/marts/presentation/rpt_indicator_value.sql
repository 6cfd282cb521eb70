-- Every figure of fct_indicator_value as a person reads it: the indicator's name, group and
-- unit of measure, the unit's name and level, the owning agency's name, a Vietnamese period
-- label, and whether the unit is today's (in force now) or an old one (before 2025-07-01).
select
    v.indicator_code,
    i.name_vi as indicator_name,
    i.indicator_group,
    i.unit as measure_unit,
    i.aggregation,
    i.owner_agency as agency_code,
    coalesce(a.name_vi, i.owner_agency) as agency_name,
    v.admin_unit_key,
    v.admin_unit_code,
    u.name_vi as admin_unit_name,
    u.level as admin_level,
    {{ admin_level_vi('u.level') }} as admin_level_name,
    u.valid_to is null as is_current_unit,
    case when u.valid_to is null then 'Đơn vị hiện nay' else 'Đơn vị cũ (trước 01/07/2025)' end
        as unit_generation_name,
    v.period_type,
    {{ period_type_vi('v.period_type') }} as period_type_name,
    -- the period filter's choice: the latest period of each type is offered under a name that
    -- stays the same from one refresh to the next, so a dashboard can open on it
    case
        when v.period_end = max(v.period_end) over (partition by v.indicator_code, v.period_type)
            then {{ period_type_vi('v.period_type') }} || ' — kỳ mới nhất'
        else {{ period_label_vi('v.period_type', 'v.period_start', 'v.period_end') }}
    end as period_choice,
    v.period_label,
    {{ period_label_vi('v.period_type', 'v.period_start', 'v.period_end') }} as period_name,
    v.period_start,
    v.period_end,
    v.actual_value,
    v.plan_value,
    v.pct_of_plan,
    v.same_period_last_year,
    v.yoy_change_pct,
    v.numerator,
    v.denominator,
    v.is_estimate,
    case when v.is_estimate then 'Ước tính' else 'Chính thức' end as figure_status_name,
    -- the period's status over all its units, so a table by indicator and period (every level)
    -- keeps one row per period, and drilling it by unit keeps every unit
    case
        when max(case when v.is_estimate then 1 else 0 end)
            over (partition by v.indicator_code, v.period_type, v.period_label) = 1
            then 'Có số ước tính'
        else 'Chính thức'
    end as period_status_name,
    v.is_partial_period,
    v.source,
    v.refreshed_at
from {{ ref('fct_indicator_value') }} as v
inner join {{ ref('dim_indicator') }} as i using (indicator_code)
left join {{ ref('dim_admin_unit') }} as u using (admin_unit_key)
left join {{ ref('dim_agency') }} as a on a.agency_code = i.owner_agency
