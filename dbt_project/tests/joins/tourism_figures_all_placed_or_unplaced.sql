-- Nothing vanishes in a join: every standing tourism figure is either in the indicators or
-- in the unplaced records (int_tourism_figures_unplaced). One row per figure lost.
{{ config(meta={'dimension': 'du'}) }}
select figures.month_start, figures.admin_unit_code
from {{ ref('int_tourism_figures_latest') }} as figures
where not exists (
    select 1 from {{ ref('int_tourism_indicators_by_unit_month') }} as placed
    where placed.month_start = figures.month_start
        and placed.admin_unit_code = figures.admin_unit_code
)
and not exists (
    select 1 from {{ ref('int_tourism_figures_unplaced') }} as unplaced
    where unplaced.period_label = figures.month_label
        and unplaced.record_key = figures.admin_unit_code
)
