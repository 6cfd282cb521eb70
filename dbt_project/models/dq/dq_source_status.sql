-- Which sources are configured, and what each last delivered: per source in a one-province
-- lake (province null), per province × source in a many-province one (each province's
-- ledger, lake/province=<code>/_meta), so a province whose data stopped is not hidden by
-- another's newer load. The refresh passes the registry (ioc/sources.py, dbt_vars) as the
-- var `ioc_sources`: [{source, title, configured, province}] (province only with many
-- provinces); a dbt run without it (by hand, tests) takes the sources of the load schedule as
-- configured, for each province whose ledger the lake holds (null: the one province's).
-- A province × source the ledger has loads of but the registry does not name is kept, not
-- configured: its data stop at its last load.
{%- set sources = var("ioc_sources", none) %}

with loads as (
    -- the latest attempt of each load decides
    select * from {{ ref('load_ledger') }}
    qualify row_number() over (
        partition by province, source, dataset, load_id order by started_at desc
    ) = 1
),

registry as (
    {% if sources -%}
    select * from (values
        {%- for s in sources %}
        ('{{ s.source }}', '{{ s.title | replace("'", "''") }}', {{ 'true' if s.configured else 'false' }}, {{ "'" ~ s.province ~ "'" if s.province else 'null' }}::{{ dbt.type_string() }})
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    ) as t(source, source_title, is_configured, province)
    {%- else -%}
    select s.source, s.source as source_title, true as is_configured, p.province
    from (select distinct source from {{ ref('dq_load_schedule') }}) as s
    cross join (
        select distinct province from loads
        union all
        select null::{{ dbt.type_string() }} as province from (select count(*) as n from loads) as c where c.n = 0
    ) as p
    {%- endif %}
),

delivered as (
    select
        province,
        source,
        count(distinct dataset) filter (where status = 'success') as datasets_loaded,
        max(finished_at) filter (where status = 'success') as last_load_at,
        -- how far its data reach (ingest/common/ledger.py): a window's end, a period's,
        -- a dropped file's newest period, a catalog snapshot's time
        max(data_until) filter (where status = 'success') as data_until
    from loads
    group by province, source
),

keyed as (
    select source, province from registry
    union
    select source, province from delivered
),

titles as (
    select source, max(source_title) as source_title from registry group by source
)

select
    -- ids
    k.source::{{ dbt.type_string() }} as source,
    k.province::{{ dbt.type_string() }} as province,
    -- state
    coalesce(r.source_title, t.source_title, k.source)::{{ dbt.type_string() }} as source_title,
    coalesce(r.is_configured, false)::boolean as is_configured,
    case
        when not coalesce(r.is_configured, false) then 'not_configured'
        when d.last_load_at is null then 'no_data'
        else 'delivering'
    end::{{ dbt.type_string() }} as status,
    case
        when not coalesce(r.is_configured, false) then 'Chưa cấu hình'
        when d.last_load_at is null then 'Chưa có số liệu'
        else 'Đang cập nhật'
    end::{{ dbt.type_string() }} as status_vi,
    coalesce(d.datasets_loaded, 0)::bigint as datasets_loaded,
    d.last_load_at::timestamp as last_load_at,
    d.data_until::timestamp as data_until,
    case
        when not coalesce(r.is_configured, false) and d.last_load_at is null
            then 'Chưa cấu hình nguồn: các chỉ tiêu của nguồn này không có số liệu.'
        when not coalesce(r.is_configured, false)
            then 'Chưa cấu hình nguồn: số liệu dừng ở lần nạp cuối ngày '
                || {{ format_date("d.last_load_at", "%d/%m/%Y") }} || '.'
        when d.last_load_at is null then 'Đã cấu hình, chưa có lần nạp thành công nào.'
        else 'Lần nạp thành công mới nhất: ' || {{ format_date("d.last_load_at", "%d/%m/%Y %H:%M") }} || '.'
    end::{{ dbt.type_string() }} as details,
    {{ run_started_at_local() }}::timestamp as checked_at
from keyed as k
left join registry as r
    on r.source = k.source and r.province is not distinct from k.province
left join delivered as d
    on d.source = k.source and d.province is not distinct from k.province
left join titles as t on t.source = k.source
