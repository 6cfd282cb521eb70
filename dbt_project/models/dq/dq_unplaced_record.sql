-- Every standing record no reference list places (an area or school the lists do not know, a
-- result for an unknown school): left out of the indicators, never lost in a join — counted
-- here with its reason and where it came from (dq_check_result: records_placed, đủ).
with unplaced as (
    select * from {{ ref('int_tourism_figures_unplaced') }}
    union all by name
    select * from {{ ref('int_education_records_unplaced') }}
    union all by name
    select * from {{ ref('int_budget_revenue_unplaced') }}
    union all by name
    select * from {{ ref('int_reporting_figures_unplaced') }}
    union all by name
    select * from {{ ref('int_dossiers_unplaced') }}
)

select
    source::varchar as source,
    dataset::varchar as dataset,
    period_label::varchar as period_label,
    record_key::varchar as record_key,
    reason::varchar as reason,
    load_id::varchar as load_id,
    raw_location::varchar as raw_location
from unplaced
