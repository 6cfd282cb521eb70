-- Every figure received over the API, with the report copy it came in: one row per figure
-- received (load, source_ref). A page may hold two copies of one version (an older one, a
-- conflicting one): a figure belongs to the header of its own copy (its source_ref is the
-- copy's, `…#record=I&ma_bao_cao=…&phien_ban=…`, plus `&so_lieu=J`); a figure whose copy is
-- not told by its reference (loads landed before copies carried their place) takes its
-- version's header of the same extraction. copy_state / copy_updated_at are that header's
-- (null when the header was quarantined).
with figures as (
    select
        *,
        regexp_replace(source_ref, '&so_lieu=\d+$', '') as copy_ref
    from {{ ref('stg_reporting__so_lieu') }}
),

headers as (
    select * from {{ ref('stg_reporting__bao_cao') }}
)

select
    figures.*,
    headers.reporting_unit_code,
    headers.indicator_set_code,
    headers.period_label,
    headers.state as copy_state,
    headers.updated_at as copy_updated_at
from figures
left join headers
    on headers.report_code = figures.report_code
    and headers.version = figures.version
    and headers.extracted_at = figures.extracted_at
qualify row_number() over (
    partition by figures.load_id, figures.source_ref
    order by (headers.source_ref = figures.copy_ref) desc nulls last,
        {{ received_last('headers.source_ref') }}
) = 1
