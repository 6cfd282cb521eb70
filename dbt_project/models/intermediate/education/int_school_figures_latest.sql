-- Every school's figures as they stand, per school year: its row with the newest update
-- (updated_at) across the year's snapshots and every row of one response. Ties (two different
-- rows with one update time, a conflict counted in dq.dq_revision): the copy received last
-- (latest extraction, then the later page and record: macros/versions.sql).
with schools as (
    select * from {{ ref('stg_giaoduc__truong') }}
)

select *
from schools
qualify row_number() over (
    partition by school_year, school_id
    order by updated_at desc, extracted_at desc, load_id desc, {{ received_last('source_ref') }}
) = 1
