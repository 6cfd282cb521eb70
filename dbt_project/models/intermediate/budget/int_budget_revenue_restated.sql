-- Budget revenue as it stands now: for every (month, unit, budget level, revenue group) the
-- row with the newest ngay_lap (prepared_at) across all loaded files. A later file restating
-- an earlier month, or a file re-exported with corrected figures, carries a newer ngay_lap
-- and wins; ties (the same export loaded twice) go to the latest extraction, then (two
-- different rows with one ngay_lap: a conflict, counted in dq.dq_revision) the later line.
-- A unit code that lost its leading zeros in a spreadsheet is read as the unit of its budget
-- level it names (TINH 1: province 01; XA 6280: commune 06280; int_admin_unit_codes_unpadded).
{%- set reform = "date '" ~ var('admin_reform_date') ~ "'" %}

with reported as (
    select * from {{ ref('stg_ngansach__thu_ngan_sach') }}
),

unpadded as (
    select * from {{ ref('int_admin_unit_codes_unpadded') }}
),

placed as (
    select
        reported.*,
        coalesce(unpadded.admin_unit_code, reported.admin_unit_code) as unit_code
    from reported
    left join unpadded
        on unpadded.unpadded_code = reported.admin_unit_code
        and unpadded.generation = case when reported.month_start < {{ reform }}
            then 'before_2025_07' else 'from_2025_07' end
        and unpadded.level = case reported.budget_level
            when 'TINH' then 'province' when 'HUYEN' then 'district' when 'XA' then 'commune' end
)

select
    month_start,
    month_label,
    unit_code as admin_unit_code,
    budget_level,
    revenue_group_code,
    revenue_group_name,
    cumulative_revenue_mvnd,
    annual_estimate_mvnd,
    prepared_at,
    count(*) over (partition by month_start, unit_code, budget_level, revenue_group_code) as times_reported,
    load_id,
    source_ref
from placed
qualify row_number() over (
    partition by month_start, unit_code, budget_level, revenue_group_code
    order by prepared_at desc, extracted_at desc, load_id desc,
        {{ received_last('source_ref') }}
) = 1
