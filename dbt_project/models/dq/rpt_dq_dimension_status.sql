-- Data quality for stewards: per checked dataset × dimension (đúng, đủ, sạch, sống), the
-- latest result of each check (every row of its latest run: a check run per load has one row
-- per load), counted by status, with the dimension's Vietnamese name.
with latest as (
    select *
    from {{ ref('dq_check_result') }}
    qualify rank() over (partition by dataset, check_name order by checked_at desc) = 1
)

select
    dataset,
    split_part(dataset, '.', 1) as source_or_layer,
    dimension,
    case dimension
        when 'dung' then 'Đúng' when 'du' then 'Đủ' when 'sach' then 'Sạch' when 'song' then 'Sống'
        else dimension
    end as dimension_name,
    count(*) as checks,
    count(*) filter (where status = 'pass') as passed,
    count(*) filter (where status = 'warn') as warned,
    count(*) filter (where status = 'fail') as failed,
    cast(coalesce(sum(rows_failed), 0) as bigint) as rows_failed,
    case
        when count(*) filter (where status = 'fail') > 0 then 'Lỗi'
        when count(*) filter (where status = 'warn') > 0 then 'Cảnh báo'
        else 'Đạt'
    end as status_name,
    max(checked_at) as last_checked_at
from latest
group by dataset, dimension
