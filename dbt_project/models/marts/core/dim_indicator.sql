-- The indicator catalog (seed indicators.csv): what each code means and how it rolls up.
select
    indicator_code,
    indicator_group,
    name_vi,
    name_en,
    unit,
    frequency,
    aggregation,
    owner_agency,
    higher_is_better,
    source,
    unit_aggregation
from {{ ref('indicators') }}
