-- The current state of every dossier: its record with the greatest updated_at (ties between
-- loads: the newest extraction; two different copies in one load, a conflict: the one
-- received last, as staging's dedup keeps), with the dossier rules applied
-- (resolved, on time, closed_at, ...). One max() per dossier over the raw records
-- (base_dichvucong__ho_so) of a fixed-size key, then the records holding it: no window, no
-- sort, and small aggregate states (a max_by of the whole record held ~0.5 kB per dossier and
-- spilled: 10x slower). Incremental: a run reads only the load
-- folders holding records updated or extracted since what the table holds (told from the
-- Parquet footers, see loads_to_read) and rewrites only dossiers whose state moved forward.
{{ config(
    materialized='incremental',
    unique_key='dossier_id',
    incremental_strategy='delete+insert',
    on_schema_change='append_new_columns'
) }}
{%- set reform = "timestamp '" ~ var('admin_reform_date') ~ "'" %}
{%- set loads = loads_to_read('dichvucong', 'ho_so', 'NgayCapNhat', '_extracted_at')
    if is_incremental() and lake_has_files('dichvucong', 'ho_so') else none %}
{#- A record's rank as one 128-bit integer: updated_at (µs since 1900, 53 bits: up to 2185),
    then extracted_at (ms, 43 bits), then 31 bits ordering the copies of one update in one
    extraction. A conflict (two different copies, macros/versions.sql): the connector names
    each later copy by its page and record (`…page=P…#record=R`) and the one received last
    wins (bit 30 set, then page, then record); other copies (the same update delivered twice
    by hand-made files) by 30 bits of a hash of load and request. A plain `contains` for
    every row, the regex only for the few conflicts. -#}
{%- set rank -%}
    ((coalesce(epoch_us(updated_at) - epoch_us(timestamp '1900-01-01'), 0)::hugeint << 74)
    + (coalesce(epoch_ms(extracted_at) - epoch_ms(timestamp '1900-01-01'), 0)::hugeint << 31)
    + case when contains(source_ref, '#record=') then (1::hugeint << 30)
        + (least(coalesce(nullif(regexp_extract(source_ref, '[?&]page=(\d+)', 1), '')::bigint, 0),
            32767) << 15)
        + least(regexp_extract(source_ref, '#record=(\d+)', 1)::bigint, 32767)
        else (hash(load_id, source_ref) >> 34)::hugeint end)
{%- endset %}

with records as (
    select * from {{ ref('base_dichvucong__ho_so') }}
    {%- if loads is not none %}
    where {{ "load_id in (" ~ loads ~ ")" if loads else "false" }}
    {%- endif %}
),

newest as (
    select
        dossier_id,
        max({{ rank }}) as newest_rank,
        -- the unit as the dossier's last record before the reform named it: a period before
        -- the reform is counted against the old units, however late a correction came
        arg_max(admin_unit_code, updated_at) filter (where updated_at < {{ reform }})
            as unit_before_reform
    from records
    group by dossier_id
),

latest as (
    select records.*, newest.unit_before_reform from records
    inner join newest
        on newest.dossier_id = records.dossier_id and newest.newest_rank = {{ rank }}
),

changed as (
    select
        latest.* exclude (unit_before_reform),
        case when latest.received_at < {{ reform }} then coalesce(
            latest.unit_before_reform,
            {%- if is_incremental() %} held.admin_unit_code_before_reform,{% endif %}
            latest.admin_unit_code
        ) end as admin_unit_code_before_reform
    from latest
    {%- if is_incremental() %}
    left join {{ this }} as held on held.dossier_id = latest.dossier_id
    where held.dossier_id is null
        or latest.updated_at > held.updated_at
        or (latest.updated_at = held.updated_at and latest.extracted_at > held.extracted_at)
    {%- endif %}
)

select
    * exclude (is_paid_online, is_digitised),
    resolved_at is not null as is_resolved,
    coalesce(resolved_at <= due_at, false) as is_on_time,
    coalesce(channel = 'TRUC_TUYEN', false) as is_online,
    coalesce(is_paid_online, false) as is_paid_online,
    coalesce(is_digitised, false) as is_digitised,
    coalesce(fee_vnd, 0) > 0 as has_fee,
    status = 'RUT_HO_SO' as is_withdrawn,
    coalesce(resolved_at, case when status = 'RUT_HO_SO' then updated_at end) as closed_at,
    {{ run_started_at_local() }} as processed_at
from changed
