-- The report that counts, one row per report (ma_bao_cao): its newest approved (DA_DUYET)
-- version. A report sent back and not yet approved again, or never approved, has no row here
-- (its figures do not count). newest_version / newest_state describe the report's last version
-- whatever its state.
with versions as (
    select * from {{ ref('int_report_versions_latest') }}
),

reports as (
    select
        report_code,
        max(version) as newest_version,
        {{ arg_max("state", "version") }} as newest_state
    from versions
    group by report_code
)

select
    versions.*,
    reports.newest_version,
    reports.newest_state
from versions
inner join reports using (report_code)
where versions.state = 'DA_DUYET'
qualify row_number() over (partition by versions.report_code order by versions.version desc) = 1
