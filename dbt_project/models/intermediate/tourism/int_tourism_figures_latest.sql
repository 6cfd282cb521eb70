-- Tourism figures as they stand: for every (month, area) the row of the newest publication.
-- The official figures (CHINH_THUC) are published after the estimate (UOC_TINH) and replace
-- it; while only the estimate is out, it stands and is_estimate is true. An official figure
-- republished with a newer ngay_cong_bo replaces the earlier one, whichever load or page
-- brought it. Ties (the same publication time): the official figure, then the copy received
-- last (latest extraction, then the later page and record: macros/versions.sql) — two
-- different copies with one time are a conflict, counted in dq.dq_revision.
with published as (
    select * from {{ ref('stg_dulich__thong_ke_thang') }}
)

select
    *,
    count(*) over (partition by month_start, admin_unit_code) as times_published
from published
qualify row_number() over (
    partition by month_start, admin_unit_code
    order by published_at desc, (figure_type = 'CHINH_THUC') desc, extracted_at desc,
        load_id desc, {{ received_last('source_ref') }}
) = 1
