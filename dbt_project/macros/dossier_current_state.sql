{% macro dossier_current_state(loads, part, parts) -%}
{#- fct_dossier's SQL (see the model): the dossiers of `part` of `parts` (dossier_parts), of
    the loads `loads` (dossier_loads_to_read; none: every load). -#}
{%- set reform = "timestamp '" ~ var('admin_reform_date') ~ "'" %}
{%- set rank = record_rank("updated_at", "extracted_at", "load_id", "source_ref") %}

{#- The records read, written out where each reads them, not a CTE read twice: DuckDB
    materialises such a CTE, every column of every record (tens of GB at scale 10), where
    two scans read only their columns. -#}
{%- set records -%}
    (select * from {{ ref('base_dichvucong__ho_so') }}
    {%- if loads is not none %}
    where {{ "load_id in (" ~ loads ~ ")" if loads else "false" }}
    {%- endif %})
{%- endset %}

with
{%- if parts > 1 %}

latest as (
    -- the newest record of each dossier whose newest record is in this part's files, found
    -- by its position (macros/dossier_parts.sql: the pre-hook's pass 1)
    select records.* exclude (record_position), newest.unit_before_reform, newest.first_closed_at
    from {{ dossier_records_in_files(part, parts) }} as records
    inner join (
        select record_position, unit_before_reform, first_closed_at
        from {{ newest_dossier_records_relation() }}
        where part = {{ part }}
    ) as newest on newest.record_position = records.record_position
),
{%- else %}

newest as (
    select
        dossier_id,
        max({{ rank }}) as newest_rank,
        -- the unit as the dossier's last record before the reform named it: a period before
        -- the reform is counted against the old units, however late a correction came
        {{ dossier_unit_before_reform() }} as unit_before_reform,
        {{ dossier_first_close() }} as first_closed_at
    from {{ records }} as records
    group by dossier_id
),

latest as (
    select records.*, newest.unit_before_reform, newest.first_closed_at
    from {{ records }} as records
    inner join newest
        on newest.dossier_id = records.dossier_id and newest.newest_rank = {{ rank }}
),
{%- endif %}

changed as (
    select
        latest.* except (unit_before_reform, first_closed_at),
        {%- if loads is not none %}
        -- the first close: the held one, unless the loads read bring an earlier one
        least(coalesce(latest.first_closed_at, held.first_closed_at),
            coalesce(held.first_closed_at, latest.first_closed_at)) as first_closed_at,
        {%- else %}
        latest.first_closed_at,
        {%- endif %}
        case when latest.received_at < {{ reform }} then coalesce(
            latest.unit_before_reform,
            {%- if loads is not none %} held.admin_unit_code_before_reform,{% endif %}
            latest.admin_unit_code
        ) end as admin_unit_code_before_reform,
        -- the state this record replaces: the months its counts stood in
        -- (int_dossiers_counted_by_month counts them again)
        {%- if loads is not none %}
        held.received_at as replaced_received_at,
        held.closed_at as replaced_closed_at,
        held.processed_at as replaced_processed_at
        {%- else %}
        cast(null as timestamp) as replaced_received_at,
        cast(null as timestamp) as replaced_closed_at,
        cast(null as timestamp) as replaced_processed_at
        {%- endif %}
    from latest
    {%- if loads is not none %}
    left join {{ this }} as held on held.dossier_id = latest.dossier_id
    where held.dossier_id is null
        or latest.updated_at > held.updated_at
        or (latest.updated_at = held.updated_at and latest.extracted_at > held.extracted_at)
    {%- endif %}
),

dossiers as (
    select
        *,
        -- the unit at receipt: before the reform, as the last record before it named it
        case when received_at < {{ reform }}
            then coalesce(admin_unit_code_before_reform, admin_unit_code)
            else admin_unit_code end as unit_at_receipt
    from changed
)

select
    dossiers.dossier_id,
    dossiers.procedure_code,
    dossiers.procedure_name,
    dossiers.field_code,
    dossiers.field_name,
    dossiers.agency_code,
    dossiers.implementation_level,
    dossiers.admin_unit_code,
    -- the unit's generation is the one in force when the dossier was received (before the
    -- reform: the unit its last record before the reform named, however late corrected)
    dossiers.unit_at_receipt || case when dossiers.received_at < {{ reform }}
        then '@before_2025_07' else '@from_2025_07' end as admin_unit_key,
    case when dossiers.received_at < {{ reform }} then units.province_code_before_reform
        else units.province_code_after_reform end as province_code,
    dossiers.channel,
    dossiers.service_level,
    dossiers.status,
    dossiers.owner_hash,
    dossiers.fee_vnd,
    dossiers.satisfaction,
    dossiers.received_at,
    dossiers.due_at,
    dossiers.resolved_at,
    dossiers.returned_at,
    coalesce(dossiers.resolved_at,
        case when dossiers.status = 'RUT_HO_SO' then dossiers.updated_at end) as closed_at,
    dossiers.first_closed_at,
    dossiers.resolved_at is not null as is_resolved,
    coalesce(dossiers.resolved_at <= dossiers.due_at, false) as is_on_time,
    coalesce(dossiers.channel = 'TRUC_TUYEN', false) as is_online,
    coalesce(dossiers.is_paid_online, false) as is_paid_online,
    coalesce(dossiers.is_digitised, false) as is_digitised,
    coalesce(dossiers.fee_vnd, 0) > 0 as has_fee,
    dossiers.status = 'RUT_HO_SO' as is_withdrawn,
    dossiers.updated_at,
    dossiers.load_id,
    dossiers.extracted_at,
    {{ run_started_at_local() }} as processed_at,
    dossiers.source_ref,
    dossiers.admin_unit_code_before_reform,
    dossiers.replaced_received_at,
    dossiers.replaced_closed_at,
    dossiers.replaced_processed_at
from dossiers
left join {{ ref('int_admin_units_mapped_to_province') }} as units
    on units.admin_unit_code = dossiers.unit_at_receipt
{%- endmacro %}

{% macro dossier_unit_before_reform() -%}
    {#- The unit as the dossier's last record before the reform named it (an aggregate). -#}
    {%- set reform = "timestamp '" ~ var('admin_reform_date') ~ "'" -%}
    {{ arg_max(
        "case when updated_at < " ~ reform ~ " then admin_unit_code end",
        "case when updated_at < " ~ reform ~ " then updated_at end") }}
{%- endmacro %}

{% macro dossier_first_close() -%}
    {#- When the dossier was first closed: the least update time of its records that close it
        (dossier_is_closed; an aggregate). A record updated after it is a revision
        (int_dossier_versions). -#}
    min(case when {{ dossier_is_closed() }} then updated_at end)
{%- endmacro %}

{% macro update_first_closes(loads) -%}
    {#- fct_dossier's pre-hook in an incremental run that reads some loads: the first close
        of the held dossiers whose state those loads do not move forward, moved earlier when
        the loads close them earlier (a late record of an older update). The dossiers whose
        state they move forward are the model's SQL's to rewrite, with the least of the held
        first close and the loads'. A pre-hook, not a post-hook: after the model's SQL the
        loads it read can no longer be told (the table's watermarks have moved). -#}
    {%- if loads -%}
    update {{ this }} as dossiers
    set first_closed_at = closes.first_closed_at
    from (
        select dossier_id, {{ dossier_first_close() }} as first_closed_at,
            max(updated_at) as updated_at
        from {{ ref('base_dichvucong__ho_so') }}
        where load_id in ({{ loads }})
        group by dossier_id
    ) as closes
    where closes.dossier_id = dossiers.dossier_id
        -- a state the loads move forward is the model's to rewrite
        and closes.updated_at <= dossiers.updated_at
        and closes.first_closed_at < coalesce(dossiers.first_closed_at, 'infinity'::timestamp)
    {%- endif -%}
{%- endmacro %}
