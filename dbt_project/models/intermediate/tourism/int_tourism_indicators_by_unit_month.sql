-- The tourism indicators (DL_*) per area and month, in the long shape every source feeds to
-- fct_indicator_value. Flows (arrivals, guest-nights, revenue) are summed over a period,
-- occupancy averaged, establishments taken at the period's end (seeds/indicators.csv).
-- is_estimate carries over: a period holding an estimated month is an estimate. Area codes
-- that are not units of the month's generation are left out (flagged by the load's checks).
{%- set reform = "date '" ~ var('admin_reform_date') ~ "'" %}
{%- set indicators = {
    'DL_TONG_LUOT_KHACH': 'total_visitors',
    'DL_KHACH_QUOC_TE': 'international_visitors',
    'DL_KHACH_NOI_DIA': 'domestic_visitors',
    'DL_KHACH_LUU_TRU': 'overnight_guests',
    'DL_NGAY_KHACH_LUU_TRU': 'guest_nights',
    'DL_DOANH_THU': 'revenue_bn_vnd',
    'DL_CONG_SUAT_PHONG': 'room_occupancy_pct',
    'DL_CO_SO_LUU_TRU': 'accommodation_establishments',
} %}

with figures as (
    select * from {{ ref('int_tourism_figures_latest') }}
),

units as (
    select admin_unit_code, generation from {{ ref('int_admin_units_unioned') }}
),

known as (
    select figures.*
    from figures
    inner join units
        on units.admin_unit_code = figures.admin_unit_code
        and units.generation = case when figures.month_start < {{ reform }}
            then 'before_2025_07' else 'from_2025_07' end
)

{% for code, column in indicators.items() %}
select
    '{{ code }}' as indicator_code,
    admin_unit_code,
    month_start,
    {{ column }}::double as value,
    null::double as numerator,
    null::double as denominator,
    null::double as cumulative_value,
    null::double as plan_value,
    is_estimate,
    'dulich' as source,
    load_id as source_load_id,
    published_at as source_updated_at
from known
{% if not loop.last %}union all{% endif %}
{%- endfor %}
