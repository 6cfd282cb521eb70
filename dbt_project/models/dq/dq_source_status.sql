-- Which sources this province has configured, and what each last delivered. The refresh
-- passes the registry (ioc/sources.py) as the var `ioc_sources`: [{source, title,
-- configured}]; a dbt run without it (by hand, tests) takes the sources of the load schedule
-- as configured.
{%- set sources = var("ioc_sources", none) %}

with registry as (
    {% if sources -%}
    select * from (values
        {%- for s in sources %}
        ('{{ s.source }}', '{{ s.title | replace("'", "''") }}', {{ 'true' if s.configured else 'false' }})
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    ) as t(source, source_title, is_configured)
    {%- else -%}
    select distinct source, source as source_title, true as is_configured
    from {{ ref('dq_load_schedule') }}
    {%- endif %}
),

loads as (
    -- the latest attempt of each load decides
    select * from {{ ref('load_ledger') }}
    qualify row_number() over (
        partition by province, source, dataset, load_id order by started_at desc
    ) = 1
),

delivered as (
    select
        source,
        count(distinct dataset) filter (where status = 'success') as datasets_loaded,
        max(finished_at) filter (where status = 'success') as last_load_at,
        max(window_end) filter (where status = 'success') as data_until
    from loads
    group by source
)

select
    -- ids
    r.source::{{ dbt.type_string() }} as source,
    -- state
    r.source_title::{{ dbt.type_string() }} as source_title,
    r.is_configured::boolean as is_configured,
    case
        when not r.is_configured then 'not_configured'
        when d.last_load_at is null then 'no_data'
        else 'delivering'
    end::{{ dbt.type_string() }} as status,
    case
        when not r.is_configured then 'Chưa cấu hình'
        when d.last_load_at is null then 'Chưa có số liệu'
        else 'Đang cập nhật'
    end::{{ dbt.type_string() }} as status_vi,
    coalesce(d.datasets_loaded, 0)::bigint as datasets_loaded,
    d.last_load_at::timestamp as last_load_at,
    d.data_until::timestamp as data_until,
    case
        when not r.is_configured and d.last_load_at is null
            then 'Chưa cấu hình nguồn: các chỉ tiêu của nguồn này không có số liệu.'
        when not r.is_configured
            then 'Chưa cấu hình nguồn: số liệu dừng ở lần nạp cuối ngày '
                || {{ format_date("d.last_load_at", "%d/%m/%Y") }} || '.'
        when d.last_load_at is null then 'Đã cấu hình, chưa có lần nạp thành công nào.'
        else 'Lần nạp thành công mới nhất: ' || {{ format_date("d.last_load_at", "%d/%m/%Y %H:%M") }} || '.'
    end::{{ dbt.type_string() }} as details,
    {{ run_started_at_local() }}::timestamp as checked_at
from registry as r
left join delivered as d using (source)
