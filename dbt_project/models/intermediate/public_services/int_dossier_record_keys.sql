-- The dossier records the incremental dossier models have read, one hash per record
-- (dossier_record_hash), per load: a load that comes again (re-run, replaced whole in the
-- lake) without one of them makes those models rebuild whole (dossier_loads_to_read).
-- It runs after them, so they see what the loads held before the run. Incremental: a run
-- reads the loads extracted after its newest extraction and replaces them whole (by load_id).
-- Off on Spark (dbt_project.yml): there the dossier models are tables rebuilt whole.
-- depends_on: {{ ref('fct_dossier') }}
-- depends_on: {{ ref('int_dossier_versions') }}
{{ config(
    materialized='incremental',
    unique_key='load_id',
    incremental_strategy='delete+insert'
) }}
{%- set loads = loads_to_read('dichvucong', 'ho_so', none, '_extracted_at')
    if is_incremental() and lake_has_files('dichvucong', 'ho_so') else none %}

select load_id, {{ dossier_record_hash() }} as record_hash, extracted_at
from {{ ref('base_dichvucong__ho_so') }}
{%- if loads is not none %}
where {{ "load_id in (" ~ loads ~ ")" if loads else "false" }}
{%- endif %}
