-- One row per reporting unit × indicator set × period: was the report sent, on time, sent
-- back, or is it missing? Expected reports: a (set, unit) pair is expected every period from
-- the first it ever reported up to, for a unit that still reports (it reported a period ending
-- after the 2025-07-01 reform), the latest period whose due date has passed at the data's
-- as-of (the end of the newest API window pulled), and for a unit that stopped (departments
-- renamed in the 2025-03-01 merger, Ninh Thuận's NT_ units), its last reported period.
-- Status: sent_back if the newest version is TRA_LAI; else on_time if the first sending (the
-- earliest version's ngay_gui) is on or before han_gui, late otherwise; missing if it never
-- came. A missing or Excel report has no han_gui: its due date is the reporting regime's
-- (seeds/report_due_rules: the set's own rule, else the period type's). An Excel report's
-- submitted_at is the first file's arrival in the drop folder (its modification time).
{%- set reform = "date '" ~ var('admin_reform_date') ~ "'" %}

with versions as (
    select * from {{ ref('int_report_versions_latest') }}
),

excel as (
    select distinct
        reporting_unit_code, indicator_set_code, period_type, period_label, period_start,
        period_end, load_id, files_received, first_received_at
    from {{ ref('int_excel_reports_latest') }}
),

sets as (
    select indicator_set_code, {{ arg_max("indicator_set_name", "extracted_at") }} as indicator_set_name
    from {{ ref('stg_reporting__bo_chi_tieu') }}
    group by indicator_set_code
),

as_of as (
    -- API loads are month windows bao_cao_<start>_<end>: the newest end is the data's as-of
    select coalesce(
        max({{ try_parse_timestamp("split_part(load_id, '_', 4)", "%Y%m%dT%H%M") }}),
        {{ run_started_at_local() }}
    ) as as_of
    from {{ ref('stg_reporting__bao_cao') }}
),

api_reports as (
    select
        reporting_unit_code, indicator_set_code, period_type, period_label, period_start,
        period_end,
        'api' as channel,
        report_code,
        {{ arg_max("due_date", "version") }} as due_date,
        {{ arg_min("sent_at", "version") }} as submitted_at,
        max(version) as version,
        {{ arg_max("state", "version") }} as latest_state,
        max(version) filter (where state = 'DA_DUYET') as approved_version,
        {{ arg_max("load_id", "version") }} as source_load_id
    from versions
    group by all
),

excel_reports as (
    select
        reporting_unit_code, indicator_set_code, period_type, period_label, period_start,
        period_end,
        'excel' as channel,
        null::{{ dbt.type_string() }} as report_code,
        null::date as due_date,
        first_received_at as submitted_at,
        files_received::integer as version,
        'DA_DUYET' as latest_state,
        files_received::integer as approved_version,
        load_id as source_load_id
    from excel
),

received as (
    select * from api_reports
    union all
    select * from excel_reports
),

rules as (
    select * from {{ ref('report_due_rules') }}
),

regime as (
    -- the due-date rule of each (set, period type) seen: the set's own, else the default
    select
        seen.indicator_set_code, seen.period_type,
        coalesce(own.months_after_period_end, fallback.months_after_period_end) as months_after,
        coalesce(own.due_day, fallback.due_day) as due_day
    from (select distinct indicator_set_code, period_type from received) as seen
    left join rules as own
        on own.indicator_set_code = seen.indicator_set_code
        and own.period_type = seen.period_type
    left join rules as fallback
        on fallback.indicator_set_code is null
        and fallback.period_type = seen.period_type
),

pairs as (
    select
        reporting_unit_code, indicator_set_code, period_type,
        min(period_start) as first_period_start,
        max(period_end) as last_period_end,
        max(period_end) > {{ reform }} as still_reports,
        max(channel) as channel
    from received
    group by all
),

calendar as (
    select distinct period_type, period_label, period_start, period_end
    from {{ ref('int_months_mapped_to_periods') }}
    where period_type in ('month', 'quarter', 'half_year', 'nine_months', 'year')
),

expected as (
    select
        pairs.reporting_unit_code, pairs.indicator_set_code, pairs.period_type,
        calendar.period_label, calendar.period_start, calendar.period_end, pairs.channel,
        {{ regime_due_date('calendar.period_end', 'regime.months_after', 'regime.due_day') }}
            as regime_due_date
    from pairs
    inner join calendar
        on calendar.period_type = pairs.period_type
        and calendar.period_start >= pairs.first_period_start
    left join regime
        on regime.indicator_set_code = pairs.indicator_set_code
        and regime.period_type = pairs.period_type
    cross join as_of
    where case when pairs.still_reports
        then {{ regime_due_date('calendar.period_end', 'regime.months_after', 'regime.due_day') }}
            < as_of.as_of::date
        else calendar.period_end <= pairs.last_period_end end
),

joined as (
    select
        coalesce(received.reporting_unit_code, expected.reporting_unit_code)
            as reporting_unit_code,
        coalesce(received.indicator_set_code, expected.indicator_set_code) as indicator_set_code,
        coalesce(received.period_type, expected.period_type) as period_type,
        coalesce(received.period_label, expected.period_label) as period_label,
        coalesce(received.period_start, expected.period_start) as period_start,
        coalesce(received.period_end, expected.period_end) as period_end,
        coalesce(received.channel, expected.channel) as channel,
        received.report_code,
        coalesce(received.due_date, expected.regime_due_date, due.regime_due_date) as due_date,
        received.due_date is null as is_due_date_estimated,
        received.submitted_at,
        received.version,
        received.latest_state,
        received.approved_version,
        received.source_load_id,
        received.reporting_unit_code is not null as is_received
    from received
    full outer join expected
        using (reporting_unit_code, indicator_set_code, period_type, period_label)
    left join (
        select
            reporting_unit_code, indicator_set_code, period_type, period_label,
            {{ regime_due_date('period_end', 'months_after', 'due_day') }} as regime_due_date
        from received
        left join regime using (indicator_set_code, period_type)
    ) as due using (reporting_unit_code, indicator_set_code, period_type, period_label)
)

select
    joined.reporting_unit_code,
    joined.indicator_set_code,
    sets.indicator_set_name,
    joined.period_type,
    joined.period_label,
    joined.period_start,
    joined.period_end,
    joined.channel,
    joined.report_code,
    joined.due_date,
    joined.is_due_date_estimated,
    joined.submitted_at,
    joined.version,
    joined.latest_state,
    joined.approved_version,
    case
        when not joined.is_received then 'missing'
        when joined.latest_state = 'TRA_LAI' then 'sent_back'
        when joined.submitted_at::date <= joined.due_date then 'on_time'
        else 'late'
    end as status,
    case when joined.submitted_at::date > joined.due_date
        then ({{ dbt.datediff('joined.due_date', 'joined.submitted_at::date', 'day') }})::integer end as days_late,
    joined.source_load_id,
    as_of.as_of as expected_as_of,
    {{ run_started_at_local() }} as refreshed_at
from joined
cross join as_of
left join sets using (indicator_set_code)
