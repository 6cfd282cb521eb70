-- Every standing record no reference list places (an area or school the lists do not know, a
-- result for an unknown school): left out of the indicators, never lost in a join — counted
-- here with its reason and where it came from (dq_check_result: records_placed, đủ).
{%- set columns = "source, dataset, period_label, record_key, reason, load_id, raw_location" %}
with unplaced as (
    {%- for model in ['int_tourism_figures_unplaced', 'int_education_records_unplaced',
        'int_budget_revenue_unplaced', 'int_reporting_figures_unplaced', 'int_dossiers_unplaced'] %}
    select {{ columns }} from {{ ref(model) }}
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
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
