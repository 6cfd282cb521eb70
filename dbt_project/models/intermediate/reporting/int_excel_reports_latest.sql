-- The Excel reports, one row per figure of the newest file of each report (reporting unit ×
-- indicator set × period): a resent file replaces the earlier one. Newest by arrival (the
-- file's modification time in the drop folder), then load id. files_received counts the
-- distinct files of the report; first_received_at is the first file's arrival (the sending
-- time we know: the sheets carry none).
-- Excel reports have no state: they count as submitted and approved.
with rows as (
    select * from {{ ref('stg_reporting__so_lieu_excel') }}
    -- a figure row typed twice in one file: the later row stands (a conflict, dq_revision)
    qualify row_number() over (
        partition by load_id, file_name, indicator_code, admin_unit_code
        order by {{ received_last('source_ref') }}
    ) = 1
),

files as (
    select
        reporting_unit_code, indicator_set_code, period_type, period_label,
        load_id, max(received_at) as received_at
    from rows
    group by all
),

ranked as (
    select
        *,
        count(*) over report as files_received,
        min(received_at) over report as first_received_at
    from files
    window report as (partition by reporting_unit_code, indicator_set_code, period_type, period_label)
    qualify row_number() over (
        partition by reporting_unit_code, indicator_set_code, period_type, period_label
        order by received_at desc, load_id desc
    ) = 1
)

select
    rows.* except (source_ref),
    ranked.files_received,
    ranked.first_received_at
from rows
inner join ranked using (reporting_unit_code, indicator_set_code, period_type, period_label, load_id)
