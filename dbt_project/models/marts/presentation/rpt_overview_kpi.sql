-- The overview's KPI tiles: one row per key indicator at province level, year to date up to
-- its latest month (summed from monthly figures, comparable across the 2025 merger), against
-- the annual plan and the share of the year gone by (pace: red, amber, green), the same
-- months last year, and the month its source's data reach. Values are in the tile's unit
-- (e.g. triệu đồng shown as tỷ đồng).
with key_indicators as (
    select * from (values
        ('TNS_TONG', 1, 'tỷ đồng', 1000.0),
        ('DTC_GIAI_NGAN', 2, 'tỷ đồng', 1.0),
        ('LDXH_VIEC_LAM_MOI', 3, 'người', 1.0),
        ('TS_SAN_LUONG', 4, 'tấn', 1.0),
        ('DL_TONG_LUOT_KHACH', 5, 'lượt', 1.0),
        ('DL_DOANH_THU', 6, 'tỷ đồng', 1.0)
    ) as t(indicator_code, tile_order, display_unit, display_divisor)
),

figures as (
    select
        v.indicator_code,
        any_value(v.indicator_name) as indicator_name,
        any_value(v.source) as source,
        any_value(v.latest_month_label) as latest_month_label,
        any_value(v.latest_month_status) as latest_month_status,
        max(v.period_start) filter (where v.is_latest_month) as latest_month_start,
        sum(v.actual_value) filter (where v.is_year_to_date) as ytd_value,
        sum(v.actual_value) filter (where v.is_year_to_date_last_year) as ytd_last_year,
        sum(v.plan_value) filter (where v.is_latest_month) as annual_plan
    from {{ ref('rpt_province_indicator_value') }} as v
    where v.indicator_code in (select indicator_code from key_indicators)
    group by v.indicator_code
),

measured as (
    select
        f.*,
        k.tile_order,
        k.display_unit,
        k.display_divisor,
        100.0 * f.ytd_value / nullif(f.annual_plan, 0) as pct_of_plan,
        cast(month(f.latest_month_start) as double) * 100 / 12 as pct_of_year_elapsed
    from figures as f
    inner join key_indicators as k using (indicator_code)
)

select
    indicator_code::{{ dbt.type_string() }} as indicator_code,
    tile_order::integer as tile_order,
    indicator_name::{{ dbt.type_string() }} as indicator_name,
    display_unit::{{ dbt.type_string() }} as display_unit,
    source::{{ dbt.type_string() }} as source,
    latest_month_start::date as latest_month_start,
    (
        'Số liệu đến tháng ' || latest_month_label
        || case when latest_month_status = 'Ước tính' then ' (ước tính)' else '' end
    )::{{ dbt.type_string() }} as data_until_label,
    latest_month_status::{{ dbt.type_string() }} as latest_month_status,
    (ytd_value / display_divisor)::double as ytd_value,
    (ytd_last_year / display_divisor)::double as ytd_last_year,
    (100.0 * ytd_value / nullif(ytd_last_year, 0) - 100)::double as yoy_change_pct,
    (annual_plan / display_divisor)::double as annual_plan,
    pct_of_plan::double as pct_of_plan,
    month(latest_month_start)::integer as months_elapsed,
    pct_of_year_elapsed::double as pct_of_year_elapsed,
    (100.0 * pct_of_plan / nullif(pct_of_year_elapsed, 0))::double as plan_pace_pct,
    case
        when pct_of_plan is null then 'Không có kế hoạch'
        when pct_of_plan >= pct_of_year_elapsed then 'Đúng hoặc vượt tiến độ'
        when pct_of_plan >= 0.9 * pct_of_year_elapsed then 'Chậm dưới 10 %'
        else 'Chậm từ 10 % trở lên'
    end::{{ dbt.type_string() }} as plan_pace_status
from measured
