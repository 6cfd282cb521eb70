-- Nothing vanishes or doubles in a join: every API figure received is one figure copy
-- (matched to at most one report copy). One row per load whose count differs.
{{ config(meta={'dimension': 'du'}) }}
with received as (
    select load_id, count(*) as figures from {{ ref('stg_reporting__so_lieu') }} group by all
),

copies as (
    select load_id, count(*) as figures from {{ ref('int_reporting_figure_copies') }} group by all
)

select received.load_id, received.figures, copies.figures as copies
from received
full join copies using (load_id)
where received.figures is distinct from copies.figures
