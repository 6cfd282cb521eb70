-- Every data-quality check, in one table and four dimensions: đúng (dung), đủ (du),
-- sạch (sach), sống (song). Five kinds: Great Expectations on each raw load (the lake's
-- _meta/dq_results), the dbt tests of the latest build (_meta/dbt_results, written by
-- refresh/dq_results.py), freshness of each scheduled dataset and completeness of its month
-- grid (computed here from the load ledger and seeds/dq_load_schedule.csv) and of the
-- reports due (marts.fct_report_submission), the rows each load's connector could not
-- read (the ledger's rows_quarantined), and per dataset the records that came again
-- (dq_revision: revisions, conflicts under đúng) or that nothing places (dq_unplaced_record,
-- under đủ); a source not configured is said so (dq.dq_source_status), not failed for
-- freshness.
{%- set lake = var("lake_root", env_var("IOC_LAKE", env_var("IOC_WAREHOUSE", "warehouse") ~ "/lake")) %}
{#- GE results: the one province's (_meta/dq_results) and each province's of a many-province
    lake (province=<code>/_meta/dq_results, its load named province=<code>/<load id>). #}
{%- set ge_files = [] %}
{%- for pattern in [lake ~ "/_meta/dq_results/*/*.parquet", lake ~ "/province=*/_meta/dq_results/*/*.parquet"] %}
    {%- if lake_file_count(pattern) > 0 %}{% do ge_files.append(pattern) %}{% endif %}
{%- endfor %}
{%- set dbt_files = lake ~ "/_meta/dbt_results/*.parquet" %}
{%- set has_ge = ge_files | length > 0 %}
{%- set has_dbt = execute and run_query("select count(*) from glob('" ~ dbt_files ~ "')").columns[0].values()[0] > 0 %}

with ge_results as (
    {% if has_ge -%}
    select
        *,
        nullif(regexp_extract(filename, '/province=([^/]+)/_meta/dq_results/', 1), '') as province
    from {{ lake_parquet_with_filename(ge_files) }}
    {%- else -%}
    select
        null::{{ dbt.type_string() }} as run_id, null::timestamp as checked_at, null::{{ dbt.type_string() }} as dataset,
        null::{{ dbt.type_string() }} as load_id, null::{{ dbt.type_string() }} as check_name, null::{{ dbt.type_string() }} as dimension,
        null::{{ dbt.type_string() }} as severity, null::{{ dbt.type_string() }} as status, null::bigint as rows_checked,
        null::bigint as rows_failed, null::{{ dbt.type_string() }} as details, null::{{ dbt.type_string() }} as province
    where false
    {%- endif %}
),

dbt_files as (
    {% if has_dbt -%}
    select * from read_parquet('{{ dbt_files }}', union_by_name = true)
    {%- else -%}
    select
        null::{{ dbt.type_string() }} as invocation_id, null::timestamp as checked_at,
        null::{{ dbt.type_string() }} as unique_id, null::{{ dbt.type_string() }} as resource_type, null::{{ dbt.type_string() }} as name,
        null::{{ dbt.type_string() }} as test_type, null::{{ dbt.type_string() }} as dataset, null::{{ dbt.type_string() }} as column_name,
        null::{{ dbt.type_string() }} as severity, null::{{ dbt.type_string() }} as dimension, null::{{ dbt.type_string() }} as status,
        null::bigint as failures, null::bigint as rows_checked, null::{{ dbt.type_string() }} as message
    where false
    {%- endif %}
),

-- Only the latest dbt invocation counts (refresh/dq_results.py also keeps only its file).
dbt_results as (
    select * from dbt_files
    where invocation_id = (select invocation_id from dbt_files order by checked_at desc limit 1)
),

ge as (
    select
        run_id, checked_at, dataset,
        -- many provinces: a province's load is its folder, province=<code>/load_id=<id>
        coalesce('province=' || province || '/', '') || load_id as load_id,
        check_name, dimension, severity,
        status, rows_checked, rows_failed, details, 'ge' as check_kind
    from ge_results
),

-- Dimension of a dbt test: its `meta: {dimension: ...}` if set, else by kind of test —
-- duplicates (unique, unique_combination_of_columns) → sạch; missing values (not_null) → đủ;
-- values off their rules (accepted_values, relationships, expression_is_true, others) →
-- đúng (unit tests too). A model that failed to build leaves the served figures stale → sống.
dbt as (
    select
        invocation_id as run_id,
        checked_at,
        dataset,
        null::{{ dbt.type_string() }} as load_id,
        name as check_name,
        coalesce(dimension, case
            when resource_type not in ('test', 'unit_test') then 'song'
            when test_type in ('unique', 'unique_combination_of_columns') then 'sach'
            when test_type = 'not_null' then 'du'
            else 'dung'
        end) as dimension,
        severity,
        case
            when status in ('pass', 'success') then 'pass'
            when status in ('warn', 'skipped') then 'warn'
            else 'fail'
        end as status,
        rows_checked,
        case when resource_type in ('test', 'unit_test') then failures end as rows_failed,
        case
            when status = 'skipped' then 'Không chạy: một mô hình phía trước bị lỗi.'
            else message
        end as details,
        'dbt' as check_kind
    from dbt_results
),

schedule as (
    select source || '.' || dataset as dataset_key, * from {{ ref('dq_load_schedule') }}
),

-- per province × source in a many-province lake (province null: the one province's)
unconfigured as (
    select source, province, source_title, details from {{ ref('dq_source_status') }}
    where not is_configured
),

-- A configured source's input that is not set (a reporting system read through its API
-- only: no drop folder) delivers nothing, so the datasets it would deliver
-- (seeds/dq_load_schedule.csv, column input) are not checked for freshness there. The
-- registry (var ioc_sources, ioc/sources.py dbt_vars) says which inputs are set; without it
-- (a dbt run by hand) every input counts as set.
{%- set unset = [] %}
{%- for s in var("ioc_sources", none) or [] if s.configured and s.inputs is defined %}
{%- for i in ["connection", "drop_folder"] if i not in s.inputs %}
{%- do unset.append((s.source, i, s.province)) %}
{%- endfor %}
{%- endfor %}
unset_inputs as (
    {% if unset -%}
    select * from (values
        {%- for source, input, province in unset %}
        ('{{ source }}', '{{ input }}', {{ "'" ~ province ~ "'" if province else 'null' }}::{{ dbt.type_string() }})
        {%- if not loop.last %},{% endif %}
        {%- endfor %}
    ) as t(source, input, province)
    {%- else -%}
    select source, input, null::{{ dbt.type_string() }} as province
    from {{ ref('dq_load_schedule') }} where false
    {%- endif %}
),

-- A source a province has not configured is not late: its datasets get one warning row
-- saying so (đủ: its figures have no source) instead of a freshness check (a many-province
-- lake's row names the province as its load_id, province=<code>, like freshness).
configuration as (
    select
        '{{ invocation_id }}' as run_id,
        {{ run_started_at_local() }} as checked_at,
        s.dataset_key as dataset,
        ('province=' || u.province)::{{ dbt.type_string() }} as load_id,
        'source_configured' as check_name,
        'du' as dimension,
        'warning' as severity,
        'warn' as status,
        1::bigint as rows_checked,
        1::bigint as rows_failed,
        'Nguồn «' || u.source_title || '» chưa được cấu hình (not configured). ' || u.details
            as details,
        'configuration' as check_kind
    from schedule as s
    inner join unconfigured as u using (source)
),

ledger as (
    -- the latest success or rejection of each load decides (a rejected window is pulled
    -- again; a failed attempt replaced nothing). States: ingest/common/lifecycle.py.
    select source || '.' || dataset as dataset_key, * from {{ ref('load_ledger') }}
    where status in ('success', 'rejected')
    qualify row_number() over (
        partition by province, source, dataset, load_id order by started_at desc
    ) = 1
),

newest_success as (
    -- a load without a window (a catalog snapshot, a dropped Excel file) is as new as its run.
    -- Not load_ledger.data_until: freshness asks whether the source delivers on its schedule
    -- (seeds/dq_load_schedule.csv, its days counted from a delivery), and a dropped report's
    -- period ends weeks before it is due (a quarter's or a year's, months before), so its
    -- period end would make a report on time look stale. Where a load has a window, both
    -- times are its end, but never later than the load ran: a school year's window ends
    -- months after its pull, and a source that stopped must age from its last delivery.
    select
        province,
        dataset_key,
        max(least(coalesce(window_end, finished_at), finished_at)) as newest_end,
        max(window_end) is null as newest_is_a_run,
        count(*) as successful_loads
    from ledger
    where status = 'success'
    group by province, dataset_key
),

-- The provinces whose ledgers the lake holds (null: the one province's) and the provinces
-- the registry configures (dq_source_status: one that never loaded is late, not unseen), each
-- one checked for freshness on its own: a province's stale dataset is not hidden by another's
-- fresh one. Each is checked for every scheduled dataset, except the one province's ledger
-- beside many provinces' (a lake being converted): only for the datasets that ledger has
-- loads of.
many_provinces as (
    select province from {{ ref('load_ledger') }} where province is not null
    union
    select province from {{ ref('dq_source_status') }}
    where province is not null and is_configured
),

ledger_provinces as (
    select distinct
        province,
        -- null: every scheduled dataset
        case when province is null then source || '.' || dataset end as dataset_key
    from {{ ref('load_ledger') }}
    where province is not null or exists (select 1 from many_provinces)
    union
    select province, null::{{ dbt.type_string() }} as dataset_key from many_provinces
    union
    select null::{{ dbt.type_string() }} as province, null::{{ dbt.type_string() }} as dataset_key
    where not exists (select 1 from many_provinces)
),

-- sống: age of the newest successful window against the dataset's schedule, per province
-- (a many-province lake's row names it as its load_id, province=<code>).
freshness as (
    select
        '{{ invocation_id }}' as run_id,
        {{ run_started_at_local() }} as checked_at,
        s.dataset_key as dataset,
        ('province=' || p.province)::{{ dbt.type_string() }} as load_id,
        'load_freshness' as check_name,
        'song' as dimension,
        'critical' as severity,
        date_diff('day', n.newest_end, {{ run_started_at_local() }}) as age_days,
        s.warn_after_days,
        s.error_after_days,
        case s.schedule
            when 'daily' then 'hằng ngày' when 'monthly' then 'hằng tháng'
            when 'quarterly' then 'hằng quý' else 'hằng năm'
        end as schedule_vi,
        n.newest_end,
        n.newest_is_a_run
    from schedule as s
    inner join ledger_provinces as p on coalesce(p.dataset_key, s.dataset_key) = s.dataset_key
    left join newest_success as n
        on n.dataset_key = s.dataset_key and n.province is not distinct from p.province
    where not exists (
        select 1 from unconfigured as u
        where u.source = s.source and u.province is not distinct from p.province
    )
        and not exists (
            select 1 from unset_inputs as x
            where x.source = s.source and x.input = s.input
                and x.province is not distinct from p.province
        )
),

freshness_checked as (
    select
        run_id, checked_at, dataset, load_id, check_name, dimension, severity,
        case
            when newest_end is null or age_days > error_after_days then 'fail'
            when age_days > warn_after_days then 'warn'
            else 'pass'
        end as status,
        1::bigint as rows_checked,
        (newest_end is null or age_days > warn_after_days)::bigint as rows_failed,
        case
            when newest_end is null then 'Chưa có lần nạp thành công nào.'
            else 'Lần nạp thành công mới nhất '
                || case when newest_is_a_run then 'xong lúc ' else 'có dữ liệu đến ' end
                || strftime(newest_end, '%Y-%m-%d %H:%M') || ', cách lúc làm mới '
                || age_days || ' ngày (nạp ' || schedule_vi
                || ': cảnh báo sau ' || warn_after_days || ' ngày, lỗi sau '
                || error_after_days || ' ngày).'
        end as details,
        'freshness' as check_kind
    from freshness
),

-- sống: a dataset with successful loads that the load schedule does not name has no
-- freshness check; one warning per dataset says so (the steward adds its row to
-- seeds/dq_load_schedule.csv), so a missing row cannot pass unseen.
unscheduled as (
    select
        '{{ invocation_id }}' as run_id,
        {{ run_started_at_local() }} as checked_at,
        l.dataset_key as dataset,
        null::{{ dbt.type_string() }} as load_id,
        'load_schedule' as check_name,
        'song' as dimension,
        'warning' as severity,
        'warn' as status,
        1::bigint as rows_checked,
        1::bigint as rows_failed,
        'Tập dữ liệu đã được nạp nhưng chưa có trong lịch nạp (seeds/dq_load_schedule.csv): '
            || 'độ mới của nó không được kiểm tra.' as details,
        'freshness' as check_kind
    from ledger as l
    where l.status = 'success'
        and not exists (select 1 from schedule as s where s.dataset_key = l.dataset_key)
    group by l.dataset_key
),

-- Per province × dataset, like freshness: a month one province misses is not covered by
-- another's load of it (a many-province lake's row names it as its load_id, province=<code>).
grid_bounds as (
    select
        l.province,
        l.dataset_key,
        min(l.window_start) as first_start,
        max(l.window_end) as last_end
    from ledger as l
    inner join schedule as s using (dataset_key)
    where s.expects_month_grid and l.window_start is not null
    group by l.province, l.dataset_key
),

grid as (
    select
        b.province,
        b.dataset_key,
        m.month_start::timestamp as month_start,
        greatest(m.month_start::timestamp, b.first_start) as need_from,
        least(m.month_start::timestamp + interval 1 month, b.last_end) as need_to
    from grid_bounds as b,
        unnest(generate_series(
            date_trunc('month', b.first_start),
            date_trunc('month', b.last_end - interval 1 microsecond),
            interval 1 month
        )) as m(month_start)
),

-- A month is covered when the successful windows overlapping it reach both of its ends
-- (loads are cut at month boundaries, so one load normally covers one month).
grid_covered as (
    select
        g.province,
        g.dataset_key,
        g.month_start,
        coalesce(
            min(l.window_start) <= g.need_from and max(l.window_end) >= g.need_to, false
        ) as is_covered
    from grid as g
    left join ledger as l
        on l.dataset_key = g.dataset_key
        and l.province is not distinct from g.province
        and l.status = 'success'
        and l.window_start < g.need_to
        and l.window_end > g.need_from
    group by g.province, g.dataset_key, g.month_start, g.need_from, g.need_to
),

-- đủ: every month from the first to the last of the data has a successful load.
completeness as (
    select
        '{{ invocation_id }}' as run_id,
        {{ run_started_at_local() }} as checked_at,
        dataset_key as dataset,
        ('province=' || province)::{{ dbt.type_string() }} as load_id,
        'load_month_grid' as check_name,
        'du' as dimension,
        'critical' as severity,
        case when bool_and(is_covered) then 'pass' else 'fail' end as status,
        count(*)::bigint as rows_checked,
        count(*) filter (where not is_covered)::bigint as rows_failed,
        case
            when bool_and(is_covered)
                then 'Đủ ' || count(*) || ' tháng, từ ' || strftime(min(month_start), '%Y-%m')
                    || ' đến ' || strftime(max(month_start), '%Y-%m') || '.'
            else 'Thiếu lần nạp thành công cho các tháng: '
                || string_agg(strftime(month_start, '%Y-%m'), ', ' order by month_start)
                    filter (where not is_covered) || '.'
        end as details,
        'completeness' as check_kind
    from grid_covered
    group by province, dataset_key
),

-- sạch: rows (or whole files) a connector could not read, quarantined at ingestion, per load
-- (the latest attempt of each load). A load that quarantined more than its dataset allows
-- (expectations/quarantine_share.py), or a file that cannot be read at all, is a failed
-- load: blocking, with the ledger's message (the share and the top reasons).
parsing as (
    select
        '{{ invocation_id }}' as run_id,
        {{ run_started_at_local() }} as checked_at,
        source || '.' || dataset as dataset,
        -- many provinces: a province's load is its folder, province=<code>/load_id=<id>
        coalesce('province=' || province || '/', '') || load_id as load_id,
        'ingest_rows_readable' as check_name,
        'sach' as dimension,
        case when status = 'failed' then 'critical' else 'warning' end as severity,
        case
            when status = 'failed' then 'fail'
            when rows_quarantined > 0 then 'warn'
            else 'pass'
        end as status,
        rows_in::bigint as rows_checked,
        rows_quarantined::bigint as rows_failed,
        case
            when status = 'failed'
                then 'Lần nạp bị chặn, không được đưa vào hồ dữ liệu: ' || rows_quarantined
                    || ' trong ' || rows_in || ' dòng không đọc được (dq.dq_quarantine). '
                    || coalesce(message, '')
            when rows_quarantined > 0
                then rows_quarantined || ' trong ' || rows_in
                    || ' dòng không đọc được, đã đưa vào khu cách ly (dq.dq_quarantine).'
            else 'Mọi dòng đều đọc được.'
        end as details,
        'ingest' as check_kind
    from {{ ref('load_ledger') }}
    qualify
        row_number() over (
            partition by province, source, dataset, load_id order by started_at desc
        ) = 1
        and (status = 'success' or (status = 'failed' and rows_quarantined > 0))
),

-- đủ: the expected grid of reports (reporting unit × indicator set × period whose due date
-- has passed) against what arrived, per indicator set (marts.fct_report_submission).
report_grid as (
    select
        '{{ invocation_id }}' as run_id,
        {{ run_started_at_local() }} as checked_at,
        'reporting.bao_cao' as dataset,
        null::{{ dbt.type_string() }} as load_id,
        'report_grid(' || indicator_set_code || ')' as check_name,
        'du' as dimension,
        'warning' as severity,
        case when count(*) filter (where status = 'missing') > 0 then 'warn' else 'pass' end
            as status,
        count(*)::bigint as rows_checked,
        count(*) filter (where status = 'missing')::bigint as rows_failed,
        case
            when count(*) filter (where status = 'missing') = 0
                then 'Đủ ' || count(*) || ' báo cáo đến hạn.'
            else 'Thiếu ' || count(*) filter (where status = 'missing') || ' trong '
                || count(*) || ' báo cáo đến hạn: '
                || string_agg(reporting_unit_code || ' ' || period_label, ', '
                    order by period_start) filter (where status = 'missing') || '.'
        end as details,
        'completeness' as check_kind
    from {{ ref('fct_report_submission') }}
    group by indicator_set_code
),

-- đúng / đủ: records that came again and records nothing places, per dataset that landed.
versioned as (
    select source || '.' || dataset as dataset from {{ ref('load_ledger') }}
    where status = 'success'
        and source || '.' || dataset in ('dulich.thong_ke_thang', 'giaoduc.truong',
            'giaoduc.ket_qua_tot_nghiep', 'ngansach.thu_ngan_sach', 'reporting.so_lieu',
            'reporting.so_lieu_excel', 'dichvucong.ho_so')
    union
    select dataset from {{ ref('dq_revision') }}
    union
    select dataset from {{ ref('dq_unplaced_record') }}
),

version_counts as (
    select
        v.dataset,
        count(r.record_key) filter (where r.kind = 'revision') as revisions,
        count(distinct r.load_id) filter (where r.kind = 'revision') as revising_loads,
        coalesce(sum(abs(r.change)) filter (where r.kind = 'revision'), 0) as revised_by,
        count(r.record_key) filter (where r.kind = 'conflict') as conflicts,
        (select count(*) from {{ ref('dq_unplaced_record') }} as u where u.dataset = v.dataset)
            as unplaced
    from versioned as v
    left join {{ ref('dq_revision') }} as r on r.dataset = v.dataset
    group by v.dataset
),

versions_checked as (
    select
        '{{ invocation_id }}' as run_id,
        {{ run_started_at_local() }} as checked_at,
        dataset,
        null::{{ dbt.type_string() }} as load_id,
        'record_revisions' as check_name,
        'dung' as dimension,
        'warning' as severity,
        'pass' as status,
        revisions::bigint as rows_checked,
        0::bigint as rows_failed,
        case when revisions = 0 then 'Không có số liệu nào được công bố lại.'
            else revisions || ' số liệu được công bố lại hoặc cập nhật (số mới nhất được dùng), '
                || revising_loads || ' lần nạp, tổng mức thay đổi ' || revised_by
                || ' (chi tiết: dq.dq_revision).'
        end as details,
        'revision' as check_kind
    from version_counts
    union all
    select
        '{{ invocation_id }}', {{ run_started_at_local() }}, dataset, null::{{ dbt.type_string() }},
        'record_conflicts', 'dung', 'warning',
        case when conflicts > 0 then 'warn' else 'pass' end,
        conflicts::bigint, conflicts::bigint,
        case when conflicts = 0 then 'Không có bản ghi mâu thuẫn.'
            else conflicts || ' bản ghi đến lại với nội dung khác nhưng cùng thời điểm công bố;'
                || ' bản nhận sau cùng được dùng (chi tiết: dq.dq_revision).'
        end,
        'revision'
    from version_counts
    union all
    select
        '{{ invocation_id }}', {{ run_started_at_local() }}, dataset, null::{{ dbt.type_string() }},
        'records_placed', 'du', 'warning',
        case when unplaced > 0 then 'warn' else 'pass' end,
        unplaced::bigint, unplaced::bigint,
        case when unplaced = 0 then 'Mọi bản ghi đều xếp được vào đơn vị và danh mục.'
            else unplaced || ' bản ghi không xếp được vào đơn vị hoặc danh mục nào, không đưa'
                || ' vào chỉ tiêu (chi tiết: dq.dq_unplaced_record).'
        end,
        'revision'
    from version_counts
),

unioned as (
    select * from ge
    union all by name
    select * from dbt
    union all by name
    select * from freshness_checked
    union all by name
    select * from unscheduled
    union all by name
    select * from completeness
    union all by name
    select * from parsing
    union all by name
    select * from report_grid
    union all by name
    select * from configuration
    union all by name
    select * from versions_checked
)

select
    -- ids
    run_id::{{ dbt.type_string() }} as run_id,
    checked_at::timestamp as checked_at,
    dataset::{{ dbt.type_string() }} as dataset,
    check_name::{{ dbt.type_string() }} as check_name,
    -- outcome
    dimension::{{ dbt.type_string() }} as dimension,
    status::{{ dbt.type_string() }} as status,
    rows_checked::bigint as rows_checked,
    rows_failed::bigint as rows_failed,
    details::{{ dbt.type_string() }} as details,
    -- added to the contract
    check_kind::{{ dbt.type_string() }} as check_kind,
    severity::{{ dbt.type_string() }} as severity,
    load_id::{{ dbt.type_string() }} as load_id
from unioned
