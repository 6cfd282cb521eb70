-- One row per (report, version): its newest landed state. A version lands again in a later
-- window when its state changes (DA_GUI → TRA_LAI / DA_DUYET); the newest ngay_cap_nhat wins,
-- then the newest load (a window pulled again), then (two different records of one version and
-- time: a conflict) the later page. times_landed counts the loads that held it.
with headers as (
    select * from {{ ref('stg_reporting__bao_cao') }}
),

ranked as (
    select
        *,
        count(*) over (partition by report_code, version) as times_landed
    from headers
    qualify row_number() over (
        partition by report_code, version
        order by updated_at desc, extracted_at desc, load_id desc,
            {{ received_last('source_ref') }}
    ) = 1
)

select * except (source_ref) from ranked
