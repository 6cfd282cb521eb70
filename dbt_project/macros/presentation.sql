{#- What a person reads for a period: "Tháng 9/2026", "Quý III/2026", "6 tháng đầu năm 2026",
    "9 tháng 2026", "Năm 2026", "Năm học 2025–2026", "Lũy kế 9 tháng 2026". -#}
{% macro period_label_vi(period_type, period_start, period_end) -%}
    {{ adapter.dispatch("period_label_vi", "ioc")(period_type, period_start, period_end) }}
{%- endmacro %}

{% macro default__period_label_vi(period_type, period_start, period_end) -%}
case {{ period_type }}
    when 'month' then format('Tháng {}/{}', month({{ period_start }}), year({{ period_start }}))
    when 'quarter' then format(
        'Quý {}/{}', ['I', 'II', 'III', 'IV'][quarter({{ period_start }})], year({{ period_start }}))
    when 'half_year' then format(
        '6 tháng {} năm {}',
        case when month({{ period_start }}) = 1 then 'đầu' else 'cuối' end,
        year({{ period_start }}))
    when 'nine_months' then format('9 tháng {}', year({{ period_start }}))
    when 'year' then format('Năm {}', year({{ period_start }}))
    when 'school_year' then format('Năm học {}–{}', year({{ period_start }}), year({{ period_end }}))
    when 'ytd' then format('Lũy kế {} tháng {}', month({{ period_end }}), year({{ period_end }}))
end
{%- endmacro %}

{#- The kind of period as a person reads it (the period filter's first choice). -#}
{% macro period_type_vi(period_type) -%}
case {{ period_type }}
    when 'month' then 'Tháng'
    when 'quarter' then 'Quý'
    when 'half_year' then '6 tháng'
    when 'nine_months' then '9 tháng'
    when 'year' then 'Năm'
    when 'school_year' then 'Năm học'
    when 'ytd' then 'Lũy kế từ đầu năm'
end
{%- endmacro %}

{#- The level of an administrative unit as a person reads it. -#}
{% macro admin_level_vi(level) -%}
case {{ level }}
    when 'province' then 'Cấp tỉnh'
    when 'district' then 'Cấp huyện (trước 01/07/2025)'
    when 'commune' then 'Cấp xã'
end
{%- endmacro %}

{#- Spark: format_string's %s for DuckDB's {}, an array() for its list literal. -#}
{% macro spark__period_label_vi(period_type, period_start, period_end) -%}
case {{ period_type }}
    when 'month' then format_string('Tháng %s/%s', month({{ period_start }}), year({{ period_start }}))
    when 'quarter' then format_string(
        'Quý %s/%s', element_at(array('I', 'II', 'III', 'IV'), quarter({{ period_start }})),
        year({{ period_start }}))
    when 'half_year' then format_string(
        '6 tháng %s năm %s',
        case when month({{ period_start }}) = 1 then 'đầu' else 'cuối' end,
        year({{ period_start }}))
    when 'nine_months' then format_string('9 tháng %s', year({{ period_start }}))
    when 'year' then format_string('Năm %s', year({{ period_start }}))
    when 'school_year' then format_string('Năm học %s–%s', year({{ period_start }}), year({{ period_end }}))
    when 'ytd' then format_string('Lũy kế %s tháng %s', month({{ period_end }}), year({{ period_end }}))
end
{%- endmacro %}
