-- Every school's figures as they stand, per school year: its row with the newest update
-- (updated_at) across the year's snapshots; ties go to the latest extraction.
with schools as (
    select * from {{ ref('stg_giaoduc__truong') }}
)

select *
from schools
qualify row_number() over (
    partition by school_year, school_id order by updated_at desc, extracted_at desc, load_id desc
) = 1
