-- Every school's graduation exam result as it stands, per exam year: the latest extraction
-- (results carry no time of their own). Two different rows of one school in one response are
-- a conflict (counted in dq.dq_revision): the copy received last stands (macros/versions.sql).
with results as (
    select * from {{ ref('stg_giaoduc__ket_qua_tot_nghiep') }}
)

select *
from results
qualify row_number() over (
    partition by exam_year, school_id
    order by extracted_at desc, load_id desc, {{ received_last('source_ref') }}
) = 1
