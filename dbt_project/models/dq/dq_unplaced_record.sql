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
    source::{{ dbt.type_string() }} as source,
    dataset::{{ dbt.type_string() }} as dataset,
    period_label::{{ dbt.type_string() }} as period_label,
    record_key::{{ dbt.type_string() }} as record_key,
    reason::{{ dbt.type_string() }} as reason,
    load_id::{{ dbt.type_string() }} as load_id,
    raw_location::{{ dbt.type_string() }} as raw_location
from unplaced
