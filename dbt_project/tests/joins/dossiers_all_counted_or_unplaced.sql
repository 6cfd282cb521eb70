-- Nothing vanishes in a join: per month, the dossiers received that the province indicator
-- DVC_HS_TIEP_NHAN counts, plus the unplaced dossiers received then, are every dossier
-- received then (int_dossiers_counted_by_month). One row per month short.
{{ config(meta={'dimension': 'du'}) }}
with received as (
    select month_start, sum(received) as received
    from {{ ref('int_dossiers_counted_by_month') }}
    group by month_start
),

counted as (
    select month_start, sum(value) as received
    from {{ ref('int_dossier_indicators_by_province_month') }}
    where indicator_code = 'DVC_HS_TIEP_NHAN'
    group by month_start
),

unplaced as (
    select cast(period_label || '-01' as date) as month_start, count(*) as received
    from {{ ref('int_dossiers_unplaced') }}
    group by all
)

select received.month_start, received.received, counted.received as counted,
    unplaced.received as unplaced
from received
left join counted using (month_start)
left join unplaced using (month_start)
where received.received <> coalesce(counted.received, 0) + coalesce(unplaced.received, 0)
