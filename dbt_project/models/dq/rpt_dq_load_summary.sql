-- Loads for stewards: per province (null: the one province) × source × dataset, the ledger's last load and its state, how far the
-- source's data reach (its own freshness, not the pipeline's run time: load_ledger.data_until), rows loaded and
-- quarantined, and the commonest reasons rows were quarantined; and (issue 15) the rows that
-- came as identical repeats, and the records revised and in conflict (dq_revision).
with ledger as (
    select
        *,
        row_number() over (
            partition by province, source, dataset order by started_at desc
        ) as recency
    from {{ ref('load_ledger') }}
),

reasons as (
    select province, source, dataset, reason, count(*) as n
    from (
        select
            province,
            source,
            split_part(dataset, '.', 2) as dataset,
            -- one reason per kind: the text after the file and line it names
            coalesce(nullif(regexp_extract(reason, ': *(.*)$', 1), ''), reason) as reason
        from {{ ref('dq_quarantine') }}
    )
    group by all
),

top_reasons as (
    select
        province,
        source,
        dataset,
        {{ string_agg_ordered("left(reason, 120) || ' (' || n || ')'", "'; '", "n desc, reason") }}
            as quarantine_reasons
    from (
        select
            *,
            row_number() over (partition by province, source, dataset order by n desc, reason)
                as rank
        from reasons
    )
    where rank <= 3
    group by province, source, dataset
),

-- records that came again (dq_revision), per source × dataset
versions as (
    select
        source,
        split_part(dataset, '.', 2) as dataset,
        count(*) filter (where kind = 'revision') as records_revised,
        count(*) filter (where kind = 'conflict') as records_conflicting
    from {{ ref('dq_revision') }}
    group by all
)

select
    l.province,
    l.source,
    l.dataset,
    count(*) as loads,
    max(l.finished_at) filter (where l.recency = 1) as last_finished_at,
    any_value(l.status) filter (where l.recency = 1) as last_status,
    case any_value(l.status) filter (where l.recency = 1)
        when 'success' then 'Thành công'
        when 'partial' then 'Một phần'
        when 'failed' then 'Lỗi'
        when 'rejected' then 'Bị từ chối'
        else any_value(l.status) filter (where l.recency = 1)
    end as last_status_name,
    max(l.data_until) filter (where l.status = 'success') as data_until,
    cast(coalesce(sum(l.rows_loaded), 0) as bigint) as rows_loaded,
    cast(coalesce(sum(l.rows_quarantined), 0) as bigint) as rows_quarantined,
    coalesce(any_value(r.quarantine_reasons), 'Không có') as quarantine_reasons,
    cast(coalesce(sum(l.rows_in - l.rows_loaded - l.rows_quarantined), 0) as bigint)
        as rows_repeated,
    cast(coalesce(any_value(v.records_revised), 0) as bigint) as records_revised,
    cast(coalesce(any_value(v.records_conflicting), 0) as bigint) as records_conflicting
from ledger as l
left join top_reasons as r
    on r.province is not distinct from l.province
    and r.source = l.source
    and r.dataset = l.dataset
left join versions as v on v.source = l.source and v.dataset = l.dataset
group by l.province, l.source, l.dataset
