-- Budget revenue as it stands now: for every (month, unit, budget level, revenue group) the
-- row with the newest ngay_lap (prepared_at) across all loaded files. A later file restating
-- an earlier month, or a file re-exported with corrected figures, carries a newer ngay_lap
-- and wins; ties (the same export loaded twice) go to the latest extraction, then (two
-- different rows with one ngay_lap: a conflict, counted in dq.dq_revision) the later line.
with reported as (
    select * from {{ ref('stg_ngansach__thu_ngan_sach') }}
)

select
    month_start,
    month_label,
    admin_unit_code,
    budget_level,
    revenue_group_code,
    revenue_group_name,
    cumulative_revenue_mvnd,
    annual_estimate_mvnd,
    prepared_at,
    count(*) over (partition by month_start, admin_unit_code, budget_level, revenue_group_code) as times_reported,
    load_id,
    source_ref
from reported
qualify row_number() over (
    partition by month_start, admin_unit_code, budget_level, revenue_group_code
    order by prepared_at desc, extracted_at desc, load_id desc,
        {{ received_last('source_ref') }}
) = 1
