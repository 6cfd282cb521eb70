-- Nothing vanishes in a join: every figure row read from an Excel report is a row of its
-- report's newest file (int_excel_reports_latest; a row typed twice in a file stands once), or
-- its file was superseded by a newer file of the same report. A row whose report cannot be
-- told (a key left empty) would fail both. One row per row lost.
{{ config(meta={'dimension': 'du'}) }}
with rows as (
    select * from {{ ref('stg_reporting__so_lieu_excel') }}
)

select rows.load_id, rows.source_ref
from rows
where not exists (
    select 1 from {{ ref('int_excel_reports_latest') }} as latest
    where latest.load_id = rows.load_id
        and latest.indicator_code is not distinct from rows.indicator_code
        and latest.admin_unit_code is not distinct from rows.admin_unit_code
)
and not exists (
    select 1 from rows as newer
    where newer.reporting_unit_code = rows.reporting_unit_code
        and newer.indicator_set_code = rows.indicator_set_code
        and newer.period_type = rows.period_type
        and newer.period_label = rows.period_label
        and (newer.received_at, newer.load_id) > (rows.received_at, rows.load_id)
)
