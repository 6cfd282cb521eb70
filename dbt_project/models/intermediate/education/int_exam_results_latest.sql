-- Every school's graduation exam result as it stands, per exam year (the latest extraction).
with results as (
    select * from {{ ref('stg_giaoduc__ket_qua_tot_nghiep') }}
)

select *
from results
qualify row_number() over (
    partition by exam_year, school_id order by extracted_at desc, load_id desc
) = 1
