-- Every reporting figure as received that could count: over the API the figures of each
-- report's newest approved version (as its newest copy gave them), from
-- Excel the rows of each report's newest file; one row per figure, before it is matched to
-- the indicator catalog and the unit lists (int_reporting_figures_counted counts what
-- matches, int_reporting_figures_unplaced keeps what does not).
with approved as (
    select * from {{ ref('int_reports_approved') }}
),

-- the figures of the version's newest copy: the newest ngay_cap_nhat, then the newest load,
-- then (two copies of one time in a page: a conflict) the copy received last, as
-- int_report_versions_latest chooses the header
api_figures as (
    select * from {{ ref('int_reporting_figure_copies') }}
    qualify dense_rank() over (
        partition by report_code, version
        order by copy_updated_at desc nulls last, extracted_at desc, load_id desc,
            {{ received_last('copy_ref') }}
    ) = 1
),

excel as (
    select * from {{ ref('int_excel_reports_latest') }}
),

figures as (
    select
        api_figures.indicator_code,
        api_figures.admin_unit_code,
        approved.period_type,
        approved.period_label,
        approved.period_start,
        approved.period_end,
        api_figures.actual_value,
        api_figures.plan_value,
        api_figures.numerator,
        api_figures.denominator,
        'api' as channel,
        approved.reporting_unit_code,
        approved.indicator_set_code,
        approved.report_code,
        approved.version,
        api_figures.load_id as source_load_id,
        approved.updated_at as source_updated_at
    from approved
    inner join api_figures using (report_code, version)
    union all
    select
        indicator_code,
        admin_unit_code,
        period_type,
        period_label,
        period_start,
        period_end,
        actual_value,
        plan_value,
        null::double as numerator,
        null::double as denominator,
        'excel' as channel,
        reporting_unit_code,
        indicator_set_code,
        null as report_code,
        files_received as version,
        load_id as source_load_id,
        extracted_at as source_updated_at
    from excel
)

select * from figures
