-- Dossier counts per month × agency × admin unit (the dossier's own MaDVHC; for a month
-- before the 2025-07-01 reform, the unit its last record before the reform named, so a late
-- correction sent with today's code still counts against the old units), from the
-- current state (fct_dossier): received in the month, resolved in the month, and open past due at the
-- month's end (month_end = first instant of the next month). Months run up to the month of
-- the newest update. newest_load_id: the load that delivered the most recent change among
-- the contributing dossiers (stable when a load is re-run with the same records).
-- Incremental by month: a run counts again only the months whose counts the dossiers the
-- current state rewrote stood in, before or after (months_to_recount), and the months a
-- newer horizon adds; the pre-hook deletes those months (whole: one may end up with no row)
-- and the run appends them counted anew from every dossier.
{#- On Spark a table rebuilt whole, as fct_dossier. -#}
{{ config(
    materialized='table' if target.type == 'spark' else 'incremental',
    incremental_strategy='append',
    on_schema_change='append_new_columns',
    pre_hook="{{ delete_months_to_recount() }}"
) }}
{#- The current state is named where it is read, not a CTE: DuckDB materialises a CTE read
    more than once, here every column of every dossier (790 MB at SF1; spilled at SF10). -#}
{%- set dossiers = ref('fct_dossier') %}
{%- set months = months_to_recount(dossiers) if is_incremental() else none %}
{%- set reform = "timestamp '" ~ var('admin_reform_date') ~ "'" %}
{%- set unit_at = "case when {} < " ~ reform ~ " then coalesce(admin_unit_code_before_reform,"
    ~ " admin_unit_code) else admin_unit_code end as admin_unit_code" %}

with horizon as (
    select date_trunc('month', max(updated_at))::date as last_month from {{ dossiers }}
),

month_ends as (
    select month_start::date as month_start, month_start + interval 1 month as month_end
    from {{ month_range(
        "(select date_trunc('month', min(received_at)) from " ~ dossiers ~ ")",
        "(select last_month + interval 1 month from horizon)"
    ) }} as t(month_start)
    where {{ month_in('month_start', months) }}
),

received as (
    select
        date_trunc('month', received_at)::date as month_start, agency_code,
        {{ unit_at.replace('{}', 'received_at') }},
        count(*) as received,
        count(*) filter (where is_online) as received_online,
        count(*) filter (where is_digitised) as received_digitised,
        count(*) filter (where has_fee) as received_with_fee,
        count(*) filter (where has_fee and is_paid_online) as paid_online,
        {{ arg_max("load_id", "updated_at") }} as newest_load_id, max(updated_at) as newest_updated_at
    from {{ dossiers }}
    where received_at < (select last_month + interval 1 month from horizon)
        and {{ month_in('received_at', months) }}
    group by all
),

resolved as (
    select
        date_trunc('month', resolved_at)::date as month_start, agency_code,
        {{ unit_at.replace('{}', 'resolved_at') }},
        count(*) as resolved,
        count(*) filter (where is_on_time) as resolved_on_time,
        count(*) filter (where satisfaction is not null) as rated,
        count(*) filter (where satisfaction >= 4) as rated_satisfied,
        {{ arg_max("load_id", "updated_at") }} as newest_load_id, max(updated_at) as newest_updated_at
    from {{ dossiers }}
    where is_resolved and resolved_at < (select last_month + interval 1 month from horizon)
        and {{ month_in('resolved_at', months) }}
    group by all
),

ever_overdue as (
    -- open past due at some month end ⇒ due before it was closed (or before the horizon)
    select * from {{ dossiers }}
    where due_at < coalesce(closed_at, (select last_month + interval 1 month from horizon))
    {%- if months %}
        -- and open past due at the end of one of the months counted again
        and received_at < date '{{ months | max }}' + interval 1 month
        and due_at < date '{{ months | max }}' + interval 1 month
        and (closed_at is null or closed_at >= date '{{ months | min }}' + interval 1 month)
    {%- endif %}
),

overdue as (
    select
        month_ends.month_start, dossiers.agency_code,
        {{ unit_at.replace('{}', 'month_ends.month_start') }},
        count(*) as overdue_open,
        {{ arg_max("load_id", "updated_at") }} as newest_load_id, max(updated_at) as newest_updated_at
    from ever_overdue as dossiers
    inner join month_ends
        on dossiers.received_at < month_ends.month_end
        and dossiers.due_at < month_ends.month_end
        and (dossiers.closed_at is null or dossiers.closed_at >= month_ends.month_end)
    group by all
),

keys as (
    select month_start, agency_code, admin_unit_code, newest_load_id, newest_updated_at
    from received
    union all
    select month_start, agency_code, admin_unit_code, newest_load_id, newest_updated_at
    from resolved
    union all
    select month_start, agency_code, admin_unit_code, newest_load_id, newest_updated_at
    from overdue
),

grain as (
    select month_start, agency_code, admin_unit_code,
        {{ arg_max("newest_load_id", "newest_updated_at") }} as newest_load_id,
        max(newest_updated_at) as newest_updated_at
    from keys
    group by all
)

select
    grain.month_start, grain.agency_code, grain.admin_unit_code,
    {%- for column in ['received', 'received_online', 'received_digitised', 'received_with_fee',
        'paid_online', 'resolved', 'resolved_on_time', 'rated', 'rated_satisfied',
        'overdue_open'] %}
    coalesce({{ column }}, 0) as {{ column }},
    {%- endfor %}
    grain.newest_load_id, grain.newest_updated_at,
    {{ run_started_at_local() }} as processed_at
from grain
left join received using (month_start, agency_code, admin_unit_code)
left join resolved using (month_start, agency_code, admin_unit_code)
left join overdue using (month_start, agency_code, admin_unit_code)
