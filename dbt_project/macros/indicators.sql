{#- Rules shared by the indicator models (spec/marts.md "Roll-up rules"). -#}

{% macro roll_up_months(months) -%}
{#- Monthly figures (one row per indicator × unit × month, with aggregation) rolled up to every
    period containing them, per admin_unit_key: sum of flows (a period from 1 January reads the
    source's cumulative where it sends one; a sum with an unknown month is unknown);
    end_of_period = value of the last month with data; average of monthly values; ratio = Σ
    numerators ÷ Σ denominators × 100. A quarterly figure (figure_period_type = quarter, at its
    quarter's last month) gives no month row; a ytd period exists once its own month has data.
    Sums and means run on decimals so that a re-run gives the same figures to the last bit. -#}
select
    months.indicator_code,
    months.admin_unit_code,
    months.admin_unit_key,
    periods.period_type,
    periods.period_label,
    periods.period_start,
    periods.period_end,
    periods.period_label_last_year,
    any_value(months.aggregation) as aggregation,
    case any_value(months.aggregation)
        when 'sum' then case
            when month(periods.period_start) = 1
                and {{ arg_max_null("months.cumulative_value", "months.month_start") }} is not null
                then {{ arg_max_null("months.cumulative_value", "months.month_start") }}
            when count(months.value) = count(*)
                then sum(months.value::decimal(38, 6))::double
        end
        when 'end_of_period' then {{ arg_max("months.value", "months.month_start") }}
        when 'average' then case when count(months.value) = count(*)
            then avg(months.value::decimal(38, 6))::double end
        when 'ratio' then case when count(months.denominator) = count(*)
            then 100.0 * sum(months.numerator::decimal(38, 6))::double
                / nullif(sum(months.denominator::decimal(38, 6))::double, 0) end
    end as actual_value,
    sum(months.numerator::decimal(38, 6))::double as numerator,
    sum(months.denominator::decimal(38, 6))::double as denominator,
    {{ arg_max("months.plan_value", "months.month_start") }} as plan_value,
    max(months.month_start) as last_data_month,
    -- partial: the period's last month has no figure yet, or a month inside it has none
    -- (unless the figure is the source's cumulative from 1 January, complete by itself)
    max(months.month_start) < date_trunc('month', periods.period_end)
        or (count(distinct months.month_start)
                * max(case when months.figure_period_type = 'quarter' then 3 else 1 end)
                < any_value(periods.months_in_period)
            and not (any_value(months.aggregation) = 'sum' and month(periods.period_start) = 1
                and {{ arg_max_null("months.cumulative_value", "months.month_start") }} is not null))
        as is_partial_period,
    bool_or(months.is_estimate) as is_estimate,
    bool_or(months.is_partial_split) as is_partial_split,
    max(months.units_combined) as units_combined,
    any_value(months.source) as source,
    {{ arg_max("months.source_load_id", "months.source_updated_at") }} as source_load_id
from {{ months }} as months
inner join {{ ref('int_months_mapped_to_periods') }} as periods using (month_start)
group by months.indicator_code, months.admin_unit_code, months.admin_unit_key,
    periods.period_type, periods.period_label, periods.period_start, periods.period_end,
    periods.period_label_last_year
having (periods.period_type <> 'ytd'
        or max(months.month_start) = date_trunc('month', periods.period_end))
    and (periods.period_type <> 'month' or bool_and(months.figure_period_type = 'month'))
{%- endmacro %}

{% macro combined_across_units(column, numerator=none, denominator=none) -%}
{#- One figure of today's unit from the figures of the units mapped to it (rows carrying
    unit_aggregation and is_partial_split): sum over the units moved whole (unknown if one of
    them is unknown); ratio = Σ numerators ÷ Σ denominators × 100 when every unit sends both;
    otherwise (and for `none`) only the figure of a sole predecessor, moved whole, passes. The
    figures of a split unit (is_partial_split) are never moved: a sum or ratio then covers
    the units moved whole, and the row is flagged. -#}
{%- set whole = "filter (where not is_partial_split)" %}
case
    when unit_aggregation = 'sum' then case
        when count({{ column }}) {{ whole }} = count(*) {{ whole }}
            then (sum({{ column }}::decimal(38, 6)) {{ whole }})::double
    end
    {%- if numerator is not none %}
    when unit_aggregation = 'ratio' and count(*) {{ whole }} > 0
        and count({{ denominator }}) {{ whole }} = count(*) {{ whole }}
        then 100.0 * (sum({{ numerator }}::decimal(38, 6)) {{ whole }})::double
            / nullif((sum({{ denominator }}::decimal(38, 6)) {{ whole }})::double, 0)
    {%- endif %}
    when count(*) {{ whole }} = 1 and not bool_or(is_partial_split)
        then any_value({{ column }}) {{ whole }}
end
{%- endmacro %}

{% macro indicator_value_rows(condition) -%}
{#- The rows of int_indicator_values_rolled_to_periods that meet `condition`, shaped for the
    fct_indicator_value* marts: pct_of_plan, and the same period one year earlier for the same
    admin_unit_key (today's unit is compared with its own territory a year before). -#}
with rolled as (
    select * from {{ ref('int_indicator_values_rolled_to_periods') }}
)

select
    rolled.indicator_code,
    rolled.admin_unit_code,
    rolled.period_type,
    rolled.period_label,
    rolled.period_start,
    rolled.period_end,
    rolled.actual_value,
    rolled.plan_value,
    100.0 * rolled.actual_value / nullif(rolled.plan_value, 0) as pct_of_plan,
    last_year.actual_value as same_period_last_year,
    100.0 * (rolled.actual_value - last_year.actual_value)
        / nullif(abs(last_year.actual_value), 0) as yoy_change_pct,
    rolled.is_estimate,
    rolled.source,
    rolled.source_load_id,
    {{ run_started_at_local() }} as refreshed_at,
    rolled.numerator,
    rolled.denominator,
    rolled.is_partial_period,
    rolled.last_data_month,
    rolled.admin_unit_key,
    rolled.is_partial_split,
    rolled.units_combined
from rolled
left join rolled as last_year
    on last_year.indicator_code = rolled.indicator_code
    and last_year.admin_unit_key = rolled.admin_unit_key
    and last_year.period_type = rolled.period_type
    and last_year.period_label = rolled.period_label_last_year
where {{ condition }}
{%- endmacro %}

{% macro summed_across_units(column) -%}
{#- A ratio's numerator or denominator over the units moved whole: known only when every one
    of them sends both. -#}
{%- set whole = "filter (where not is_partial_split)" %}
case
    when count(numerator) {{ whole }} = count(*) {{ whole }}
        and count(denominator) {{ whole }} = count(*) {{ whole }}
        then (sum({{ column }}::decimal(38, 6)) {{ whole }})::double
end
{%- endmacro %}
