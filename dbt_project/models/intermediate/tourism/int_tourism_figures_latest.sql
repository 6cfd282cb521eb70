-- Tourism figures as they stand: for every (month, area) the row of the newest publication.
-- The official figures (CHINH_THUC) are published after the estimate (UOC_TINH) and replace
-- it; while only the estimate is out, it stands and is_estimate is true. Ties (the same
-- publication in two loads) go to the official figure, then the latest extraction.
with published as (
    select * from {{ ref('stg_dulich__thong_ke_thang') }}
)

select
    *,
    count(*) over key as times_published
from published
window key as (partition by month_start, admin_unit_code)
qualify row_number() over (
    key order by published_at desc, (figure_type = 'CHINH_THUC') desc, extracted_at desc,
        load_id desc
) = 1
