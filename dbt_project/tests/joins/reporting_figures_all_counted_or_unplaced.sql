-- Nothing vanishes in a join: every reporting figure received (newest approved version,
-- newest file) is counted, or is an unplaced record, or is a known indicator sent in a report
-- of another frequency than its own (not counted by design). One row per figure lost.
{{ config(meta={'dimension': 'du'}) }}
with received as (
    select * from {{ ref('int_reporting_figures_received') }}
),

catalog as (
    select indicator_code from {{ ref('indicators') }} where source = 'reporting'
)

select received.*
from received
where not exists (
    select 1 from {{ ref('int_reporting_figures_counted') }} as counted
    where counted.indicator_code = received.indicator_code
        and counted.admin_unit_code = received.admin_unit_code
        and counted.reporting_unit_code = received.reporting_unit_code
        and counted.indicator_set_code = received.indicator_set_code
)
and not exists (
    select 1 from {{ ref('int_reporting_figures_unplaced') }} as unplaced
    where unplaced.period_label = received.period_label
        and unplaced.record_key = concat_ws(' | ', received.reporting_unit_code,
            received.indicator_set_code, received.indicator_code, received.admin_unit_code)
)
and not (
    received.indicator_code in (select indicator_code from catalog)
    and exists (
        select 1 from {{ ref('indicators') }} as i
        where i.indicator_code = received.indicator_code
            and i.frequency <> received.period_type
            and not (i.frequency = 'school_year' and received.period_type = 'year')
    )
)
