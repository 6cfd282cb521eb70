{#- The reporting system's period (ky_loai, ky_nam, ky_so) in the marts' terms (marts.md):
    THANG/QUY/6THANG/9THANG/NAM → month/quarter/half_year/nine_months/year, with the label,
    first and last day. -#}
{% macro reporting_period_type(kind) -%}
    case {{ kind }}
        when 'THANG' then 'month'
        when 'QUY' then 'quarter'
        when '6THANG' then 'half_year'
        when '9THANG' then 'nine_months'
        when 'NAM' then 'year'
    end
{%- endmacro %}

{% macro reporting_period_label(kind, year, number) -%}
    case {{ kind }}
        when 'THANG' then {{ year }} || '-' || lpad({{ number }}::{{ dbt.type_string() }}, 2, '0')
        when 'QUY' then {{ year }} || '-Q' || {{ number }}
        when '6THANG' then {{ year }} || '-H' || {{ number }}
        when '9THANG' then {{ year }} || '-9M'
        when 'NAM' then {{ year }}::{{ dbt.type_string() }}
    end
{%- endmacro %}

{% macro reporting_period_start(kind, year, number) -%}
    case {{ kind }}
        when 'THANG' then make_date({{ year }}, {{ number }}, 1)
        when 'QUY' then make_date({{ year }}, 3 * {{ number }} - 2, 1)
        when '6THANG' then make_date({{ year }}, 6 * {{ number }} - 5, 1)
        else make_date({{ year }}, 1, 1)
    end
{%- endmacro %}

{% macro reporting_period_end(kind, year, number) -%}
    (case {{ kind }}
        when 'THANG' then make_date({{ year }}, {{ number }}, 1) + interval 1 month
        when 'QUY' then make_date({{ year }}, 3 * {{ number }} - 2, 1) + interval 3 month
        when '6THANG' then make_date({{ year }}, 6 * {{ number }} - 5, 1) + interval 6 month
        when '9THANG' then make_date({{ year }}, 10, 1)
        when 'NAM' then make_date({{ year }} + 1, 1, 1)
    end - interval 1 day)::date
{%- endmacro %}

{% macro reporting_period_columns(kind, year, number) -%}
        {{ reporting_period_type(kind) }} as period_type,
        {{ reporting_period_label(kind, year, number) }} as period_label,
        {{ reporting_period_start(kind, year, number) }} as period_start,
        {{ reporting_period_end(kind, year, number) }} as period_end
{%- endmacro %}

{#- A number written the Vietnamese way: thousands with '.', decimals with ',' (1.234,5). -#}
{% macro vi_number(expr, decimals=1) -%}
    {#- Vietnamese number: 1.234,5 (a whole number without decimals: 194, not 194,0) -#}
    translate(case when ({{ expr }})::double = round(({{ expr }})::double)
        then format('{:,.0f}', ({{ expr }})::double)
        else format('{:,.{{ decimals }}f}', ({{ expr }})::double) end, ',.', '.,')
{%- endmacro %}

{#- The due date a reporting regime rule gives (seeds/report_due_rules): day `due_day` of the
    month `months_after` months after the period's last month, capped at that month's end. -#}
{% macro regime_due_date(period_end, months_after, due_day) -%}
    {%- set month = add_months("date_trunc('month', " ~ period_end ~ ")", months_after) ~ "::date" -%}
    make_date(year({{ month }}), month({{ month }}), least({{ due_day }}, day(last_day({{ month }}))))
{%- endmacro %}

{#- A figure with its unit, in Vietnamese: 72,5%, 1.234 lượt -#}
{% macro vi_quantity(expr, unit) -%}
    ({{ vi_number(expr) }} || case when {{ unit }} = '%' then '%' else ' ' || {{ unit }} end)
{%- endmacro %}

{#- The day by which a period must be closed: its close runs the day after its reports' due
    date (ioc/calendar.py); closed later, or not closed by the end of that day, is a deadline
    miss (fct_period_state.close_state). Airflow 3 has no SLA: this is its place. -#}
{% macro period_close_by(due_date) -%}
    ({{ due_date }} + interval 1 day)::date
{%- endmacro %}
